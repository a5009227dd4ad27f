import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useDatabase } from '../src/data/db.js';
import { applyPullPage, pullCursor, resetMirror, villages } from '../src/data/mirror.js';
import { recordView } from '../src/data/records.js';
import {
  acknowledge, applyPushResults, discardComment, getRecord, pendingMutations, queueComment, queueTransition, saveRecord,
  unsyncedSummary,
} from '../src/data/store.js';
import { timeline } from '../src/data/mirror.js';

let db;
beforeEach(async () => {
  db = await useDatabase(`test-${crypto.randomUUID()}`);
});

const VISIT = { village_id: 'v1', visited_at: '2026-03-01T09:00:00+07:00', notes: 'first', topics: ['health'], photos: [] };

async function outbox() {
  return db.getAll('outbox');
}

describe('saving', () => {
  it('queues a create with a mutation id made at save time', async () => {
    const record = await saveRecord('visit', 'r1', VISIT);
    const [entry] = await outbox();
    expect(record.state).toBe('pending');
    expect(entry).toMatchObject({ entity: 'visit', record_id: 'r1', op: 'create', base_version: 0, state: 'pending' });
    expect(entry.mutation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry.fields).toMatchObject({ village_id: 'v1', notes: 'first' });
  });

  it('keeps a draft on the phone without queueing it', async () => {
    const record = await saveRecord('visit', 'r1', VISIT, { draft: true });
    expect(record.state).toBe('draft');
    expect(await outbox()).toEqual([]);
    expect((await unsyncedSummary()).drafts).toBe(1);
  });

  it('appends a second edit as its own update, never rewriting a queued mutation', async () => {
    await saveRecord('visit', 'r1', VISIT);
    const [first] = await outbox();
    await saveRecord('visit', 'r1', { ...VISIT, notes: 'second' });
    const entries = await outbox();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toEqual(first);
    expect(entries[1]).toMatchObject({ op: 'update', base_version: 1, fields: { notes: 'second' } });
    expect((await pendingMutations(10)).map((e) => e.op)).toEqual(['create', 'update']);
  });

  it('queues nothing for a save without changes', async () => {
    await saveRecord('visit', 'r1', VISIT);
    await applyPushResults(await outbox(), [{ mutation_id: (await outbox())[0].mutation_id, status: 'applied', record: { id: 'r1', version: 1, ...VISIT } }]);
    const record = await saveRecord('visit', 'r1', VISIT);
    expect(await outbox()).toEqual([]);
    expect(record.state).toBe('synced');
  });
});

describe('push results', () => {
  it('removes an applied mutation and keeps the server copy', async () => {
    await saveRecord('visit', 'r1', VISIT);
    const sent = await outbox();
    const summary = await applyPushResults(sent, [{ mutation_id: sent[0].mutation_id, status: 'applied', version: 1,
      record: { id: 'r1', version: 1, ...VISIT, district_code: '6501' } }]);
    expect(summary).toEqual({ confirmed: 1, rejected: 0, conflict: 0 });
    expect(await outbox()).toEqual([]);
    const record = await getRecord('r1');
    expect(record).toMatchObject({ state: 'synced', pending: {}, server: { version: 1, district_code: '6501' } });
  });

  it('keeps what was sent when an applied answer carries only the version', async () => {
    await saveRecord('visit', 'r1', VISIT);
    const sent = await outbox();
    await applyPushResults(sent, [{ mutation_id: sent[0].mutation_id, status: 'applied', version: 1, missing_photos: ['ab'] }]);
    expect(await outbox()).toEqual([]);
    const record = await getRecord('r1');
    expect(record.state).toBe('synced');
    expect(recordView(record)).toMatchObject({ notes: 'first', version: 1, missing_photos: ['ab'] });
  });

  it('treats a replayed answer as the first one: nothing left, nothing lost', async () => {
    await saveRecord('visit', 'r1', VISIT);
    const sent = await outbox();
    await applyPushResults(sent, [{ mutation_id: sent[0].mutation_id, status: 'duplicate', original: { status: 'applied', version: 1 } }]);
    expect(await outbox()).toEqual([]);
    expect(recordView(await getRecord('r1'))).toMatchObject({ notes: 'first', version: 1 });
  });

  it('keeps a mutation the server did not answer', async () => {
    await saveRecord('visit', 'r1', VISIT);
    await applyPushResults(await outbox(), []);
    expect(await outbox()).toHaveLength(1);
  });

  it('puts a rejection in needs attention; the correction goes out under a new id', async () => {
    await saveRecord('visit', 'r1', { ...VISIT, villagers_met: -1 });
    const [sent] = await outbox();
    await applyPushResults([sent], [{ mutation_id: sent.mutation_id, status: 'rejected', reason: 'validation',
      detail: 'One or more fields are invalid.', errors: { villagers_met: ['Must be greater than or equal to 0.'] } }]);
    let record = await getRecord('r1');
    expect(record.state).toBe('attention');
    expect(record.attention.errors.villagers_met).toHaveLength(1);
    expect(await pendingMutations(10)).toEqual([]);
    expect((await unsyncedSummary()).attention).toBe(1);

    record = await saveRecord('visit', 'r1', { ...VISIT, villagers_met: 12 });
    const entries = await outbox();
    expect(entries).toHaveLength(1);
    expect(entries[0].mutation_id).not.toBe(sent.mutation_id);
    expect(entries[0]).toMatchObject({ op: 'create', state: 'pending', fields: { village_id: 'v1', villagers_met: 12 } });
    expect(record.state).toBe('pending');
    expect(record.attention).toBeNull();
  });

  it('shows a conflict until the official acknowledges it', async () => {
    await saveRecord('visit', 'r1', VISIT);
    const sent = await outbox();
    const conflicts = [{ field: 'notes', kept_value: 'first', lost_value: 'theirs' }];
    await applyPushResults(sent, [{ mutation_id: sent[0].mutation_id, status: 'conflict', conflicts, record: { id: 'r1', version: 3, ...VISIT } }]);
    expect((await getRecord('r1')).attention).toEqual({ kind: 'conflict', conflicts });
    await acknowledge('r1');
    expect((await getRecord('r1')).state).toBe('synced');
  });
});

describe('transitions', () => {
  async function syncedConcern() {
    await db.put('records', { id: 'c1', entity: 'concern', state: 'synced', queued: true, pending: {}, attention: null,
      server: { id: 'c1', version: 4, status: 'accepted', description: 'x', assignee_id: 7 } });
  }

  it('queues a step from the status the official sees, with after photos', async () => {
    await syncedConcern();
    await queueTransition('c1', { action: 'resolve', note: 'fixed', photos: [{ sha256: 'ab', role: 'after' }] });
    const [entry] = await outbox();
    expect(entry).toMatchObject({ op: 'transition', base_version: 4, entity: 'concern', record_id: 'c1',
      transition: { action: 'resolve', from_status: 'accepted', note: 'fixed' },
      photos: [{ sha256: 'ab', role: 'after', item_key: '', caption: '', position: 0 }] });
    expect(entry).not.toHaveProperty('fields');
    expect((await getRecord('c1')).state).toBe('pending');
  });

  it('a refused step is acknowledged, never merged into a later edit', async () => {
    await syncedConcern();
    await queueTransition('c1', { action: 'start' });
    const [sent] = await outbox();
    await applyPushResults([sent], [{ mutation_id: sent.mutation_id, status: 'rejected', reason: 'stale_transition' }]);
    expect((await getRecord('c1')).attention).toMatchObject({ kind: 'rejected', op: 'transition', reason: 'stale_transition' });
    await saveRecord('concern', 'c1', { description: 'clearer' });
    expect((await outbox()).map((e) => [e.op, e.state])).toEqual([['transition', 'rejected'], ['update', 'pending']]);
    await acknowledge('c1');
    expect((await outbox()).map((e) => e.op)).toEqual(['update']);
    expect((await getRecord('c1')).state).toBe('pending');
  });
});

describe('pull pages', () => {
  it('stores reference data and the cursor together', async () => {
    await applyPullPage([
      { seq: 1, entity: 'village', id: 'v1', deleted: false, record: { id: 'v1', district_code: '6501', subdistrict_code: '650101', moo: 2, name_th: 'บ้านสอง' } },
      { seq: 2, entity: 'village', id: 'v2', deleted: false, record: { id: 'v2', district_code: '6502', subdistrict_code: '650201', moo: 1, name_th: 'บ้านหนึ่ง' } },
    ], '2');
    expect(await pullCursor()).toBe('2');
    expect((await villages(['6501'])).map((v) => v.id)).toEqual(['v1']);
  });

  it('a reset drops mirrored data but never the outbox or unsynced records', async () => {
    await applyPullPage([
      { seq: 1, entity: 'village', id: 'v1', deleted: false, record: { id: 'v1', district_code: '6501', subdistrict_code: '650101', moo: 1, name_th: 'x' } },
      { seq: 2, entity: 'visit', id: 'other', deleted: false, record: { id: 'other', version: 1 } },
    ], '2');
    await saveRecord('visit', 'r1', VISIT);
    await resetMirror();
    expect(await pullCursor()).toBe('0');
    expect(await villages(null)).toEqual([]);
    expect(await getRecord('other')).toBeUndefined();
    expect(await getRecord('r1')).toBeDefined();
    expect(await outbox()).toHaveLength(1);
  });
});

describe('comments on a concern', () => {
  it('queues a follow-up create and shows it in the timeline as waiting', async () => {
    const id = await queueComment('c1', 'ชาวบ้านแจ้งว่าน้ำยังไม่ลด', new Date('2026-03-02T03:00:00Z'));
    const [entry] = await outbox();
    expect(entry).toMatchObject({ entity: 'followup', record_id: id, op: 'create', base_version: 0, state: 'pending',
      fields: { concern_id: 'c1', body: 'ชาวบ้านแจ้งว่าน้ำยังไม่ลด' } });
    expect(entry.mutation_id).not.toBe(id);
    expect(await timeline('c1')).toEqual([expect.objectContaining({ id, kind: 'comment', local: 'pending' })]);
    expect((await unsyncedSummary()).mutations).toBe(1);
  });

  it('an accepted comment leaves the outbox; the pull replaces the waiting copy', async () => {
    const id = await queueComment('c1', 'checked again');
    const [sent] = await outbox();
    const summary = await applyPushResults([sent], [{ mutation_id: sent.mutation_id, status: 'applied', version: 1 }]);
    expect(summary.confirmed).toBe(1);
    expect(await outbox()).toEqual([]);
    expect((await timeline('c1'))[0].local).toBe('sent');
    await applyPullPage([{ seq: 9, entity: 'followup', id, record: { id, concern_id: 'c1', kind: 'comment',
      body: 'checked again', created_at: '2026-03-02T03:00:01+00:00' } }], '9');
    expect((await timeline('c1'))[0]).not.toHaveProperty('local');
  });

  it('a refused comment stays, with the reason, until the official removes it', async () => {
    const id = await queueComment('c1', 'too late');
    const [sent] = await outbox();
    await applyPushResults([sent], [{ mutation_id: sent.mutation_id, status: 'rejected', reason: 'out_of_scope',
      detail: 'The concern is outside your districts.' }]);
    expect((await outbox())[0]).toMatchObject({ state: 'rejected', reason: 'out_of_scope' });
    expect((await timeline('c1'))[0]).toMatchObject({ local: 'rejected', detail: 'The concern is outside your districts.' });
    expect(await pendingMutations(10)).toEqual([]);
    await discardComment(id);
    expect(await outbox()).toEqual([]);
  });

  it('keeps a refused comment\'s per-field codes for the timeline to word them', async () => {
    const id = await queueComment('c1', 'ดู');
    const [sent] = await outbox();
    const codes = [{ field: 'body', code: 'too_long', params: { max: 5000 } }];
    await applyPushResults([sent], [{ mutation_id: sent.mutation_id, status: 'rejected', reason: 'validation',
      detail: 'One or more fields are invalid.', errors: { body: ['Longer than maximum length 5000.'] }, error_codes: codes }]);
    expect((await timeline('c1'))[0]).toMatchObject({ local: 'rejected', error_codes: codes });
    await discardComment(id);
    expect(await outbox()).toEqual([]);
    expect(await timeline('c1')).toEqual([]);
  });

  it('a cursor reset keeps the comments the server has not sent back yet', async () => {
    await applyPullPage([{ seq: 3, entity: 'followup', id: 'f-server', record: { id: 'f-server', concern_id: 'c1',
      kind: 'status', created_at: '2026-03-01T00:00:00+00:00' } }], '3');
    const id = await queueComment('c1', 'still waiting');
    await resetMirror();
    expect((await timeline('c1')).map((e) => e.id)).toEqual([id]);
  });
});
