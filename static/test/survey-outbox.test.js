import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useDatabase } from '../src/data/db.js';
import { applyPullPage } from '../src/data/mirror.js';
import { formVersion, formVersions } from '../src/data/forms.js';
import { recordView } from '../src/data/records.js';
import { applyPushResults, getRecord, saveRecord } from '../src/data/store.js';
import { surveyValues } from '../src/surveys/answers.js';
import { HAZE } from './survey-fixture.js';

// The survey entity as the server describes it comes from the built-in meta.json (the server's).
let db;
beforeEach(async () => {
  db = await useDatabase(`survey-${crypto.randomUUID()}`);
});

const NOW = new Date('2026-12-03T02:30:00Z');
const values = (answers) => surveyValues({ definition: HAZE, formId: '7', villageId: 'v1', answers, now: NOW });

describe('a survey in the outbox', () => {
  it('keeps a draft on the phone, then queues one create with every answer', async () => {
    expect((await saveRecord('survey', 's1', values({ kind: 'smoke' }), { draft: true })).state).toBe('draft');
    expect(await db.getAll('outbox')).toEqual([]);
    await saveRecord('survey', 's1', values({ kind: 'burn_spot', area_rai: 3 }));
    const [entry] = await db.getAll('outbox');
    expect(entry).toMatchObject({ entity: 'survey', op: 'create', fields: { form_id: 7, answers: { kind: 'burn_spot', area_rai: 3 } } });
    expect(entry.fields).not.toHaveProperty('id');
  });

  it('after the server confirmed it, an edit of one answer sends that answer alone', async () => {
    await saveRecord('survey', 's1', values({ kind: 'burn_spot', area_rai: 3, distance_m: 40 }));
    const [create] = await db.getAll('outbox');
    await applyPushResults([create], [{ mutation_id: create.mutation_id, status: 'applied', version: 1 }]);
    const record = await getRecord('s1');
    expect(record.state).toBe('synced');
    await saveRecord('survey', 's1', values({ ...recordView(record).answers, area_rai: 5 }));
    const [update] = await db.getAll('outbox');
    expect(update).toMatchObject({ op: 'update', base_version: 1, fields: { answers: { area_rai: 5 } } });
    expect(Object.keys(update.fields)).toEqual(['answers']);
  });

  it('keeps the pulled form versions, every one, for offline use', async () => {
    await applyPullPage([
      { entity: 'form', id: '7', record: { id: '7', form_key: 'haze', definition: HAZE, retired: false } },
      { entity: 'form', id: '9', record: { id: '9', form_key: 'haze', definition: HAZE, retired: true } },
    ], '5');
    expect((await formVersion(7)).form_key).toBe('haze');
    expect((await formVersions()).map((f) => f.id).sort()).toEqual(['7', '9']);
  });
});
