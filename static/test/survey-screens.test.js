// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useDatabase } from '../src/data/db.js';
import { applyPullPage } from '../src/data/mirror.js';
import { saveRecord } from '../src/data/store.js';
import { setLanguage } from '../src/i18n.js';
import { surveyValues } from '../src/surveys/answers.js';
import { surveyStatus, surveysScreen } from '../src/ui/surveys.js';
import { HAZE } from './survey-fixture.js';

const form = (id, extra = {}) => ({ entity: 'form', id, record: { id, form_key: 'haze', title_th: 'สำรวจไฟป่า', title_en: 'Haze survey',
  retired: false, definition: HAZE, ...extra } });
const ctx = (query, role = 'official') => ({ query: new URLSearchParams(query), session: { user: { id: 5, role, district_codes: [] } } });

beforeEach(async () => {
  await useDatabase(`screens-${crypto.randomUUID()}`);
  setLanguage('th');
});

describe('the surveys screen', () => {
  it('starts a survey of the newest version, attached to the visit it was opened from', async () => {
    await applyPullPage([form('7'), form('8')], '1');
    const screen = await surveysScreen(ctx('visit=vis1&village=v1'));
    const [link] = screen.querySelectorAll('.form-list a');
    expect(link.textContent).toBe('สำรวจไฟป่า');
    expect(link.getAttribute('href')).toBe('/app/survey/new?form=8&visit=vis1&village=v1');
  });

  it('offers results to supervisors, and nothing new from a retired form', async () => {
    await applyPullPage([form('7', { retired: true })], '1');
    expect((await surveysScreen(ctx(''))).querySelectorAll('.form-list a')).toHaveLength(0);
    await applyPullPage([form('9')], '2');
    const links = [...(await surveysScreen(ctx('', 'supervisor'))).querySelectorAll('.form-list a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/app/survey/new?form=9', '/app/surveys/results/haze']);
  });

  it('lists my surveys as drafts, pending and sent', async () => {
    const values = surveyValues({ definition: HAZE, formId: '7', villageId: 'v1', answers: { kind: 'smoke' } });
    const draft = await saveRecord('survey', 's1', values, { draft: true });
    const pending = await saveRecord('survey', 's2', values);
    expect(surveyStatus(draft)).toBe('draft');
    expect(surveyStatus(pending)).toBe('pending');
    expect(surveyStatus({ ...pending, state: 'synced', server: { version: 1, missing_photos: [] } })).toBe('sent');
    // Another official's survey, pulled by a supervisor's phone, is not "mine".
    await applyPullPage([{ entity: 'survey', id: 's3', record: { id: 's3', version: 1, created_by_id: 99, form_id: 7 } }], '3');
    const tabs = [...(await surveysScreen(ctx(''))).querySelectorAll('nav.tabs a')].map((a) => a.textContent);
    expect(tabs).toEqual(['รอส่ง (1)', 'ส่งแล้ว (0)', 'ฉบับร่าง (1)']);
  });
});
