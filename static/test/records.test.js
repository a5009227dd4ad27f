import { describe, expect, it } from 'vitest';
import { assigneeActions } from '../src/ui/transition-form.js';
import {
  buildMutation, changedFields, isoWithOffset, mergeRejected, newRecord, photoChanges, recordView, settleRecord,
} from '../src/data/records.js';

const NOW = new Date('2026-03-01T02:30:00Z');
const photo = (sha, extra = {}) => ({ sha256: sha, caption: '', position: 0, item_key: '', role: 'before', ...extra });

function synced(fields) {
  return { ...newRecord('visit', 'r1', NOW), server: { id: 'r1', version: 3, ...fields }, state: 'synced', queued: true };
}

describe('recordView and changedFields', () => {
  it('shows unconfirmed edits over the server copy', () => {
    const record = { ...synced({ notes: 'old', villagers_met: 3 }), pending: { notes: 'new' } };
    expect(recordView(record)).toMatchObject({ notes: 'new', villagers_met: 3, version: 3 });
  });

  it('keeps only what differs, never server-owned or workflow fields (as the server lists them)', () => {
    const record = synced({ notes: 'same', topics: ['health'] });
    const changed = changedFields(record, { notes: 'same', topics: ['health', 'general'], version: 9,
      created_by_id: 2, district_code: '6502' });
    expect(changed).toEqual({ topics: ['health', 'general'] });
    const concern = { ...synced({ status: 'new', description: 'd' }), entity: 'concern' };
    expect(changedFields(concern, { status: 'closed', priority: 1, description: 'e', approved_at: null }))
      .toEqual({ description: 'e' });
  });
});

describe('buildMutation', () => {
  it('creates with every non-empty field, base version 0 and the photo links', () => {
    const record = newRecord('visit', 'r1', NOW);
    const changed = { village_id: 'v1', notes: 'hi', lat: null, photos: [photo('aa', { present: true })] };
    const m = buildMutation({ record, changed, mutationId: 'm1', now: NOW });
    expect(m).toMatchObject({ mutation_id: 'm1', entity: 'visit', record_id: 'r1', op: 'create', base_version: 0,
      fields: { village_id: 'v1', notes: 'hi' }, photos: [photo('aa')], state: 'pending' });
    expect(m.fields).not.toHaveProperty('lat');
    expect(m.fields).not.toHaveProperty('photos');
  });

  it('updates only the changed fields from the server version', () => {
    const record = synced({ notes: 'a', villagers_met: 2 });
    const m = buildMutation({ record, changed: { notes: 'b' }, mutationId: 'm2', now: NOW });
    expect(m).toMatchObject({ op: 'update', base_version: 3, fields: { notes: 'b' } });
    expect(m).not.toHaveProperty('photos');
  });

  it('starts an update of a record whose create is still queued from version 1', () => {
    const record = { ...newRecord('visit', 'r1', NOW), queued: true, pending: { notes: 'a' }, state: 'pending' };
    expect(buildMutation({ record, changed: { notes: 'b' }, mutationId: 'm3' })).toMatchObject({ op: 'update', base_version: 1 });
  });

  it('sends a removed photo as an explicit remove', () => {
    const record = synced({ photos: [photo('aa'), photo('bb')] });
    const m = buildMutation({ record, changed: { photos: [photo('bb'), photo('cc')] }, mutationId: 'm4' });
    expect(m.photos).toEqual([photo('cc'), { sha256: 'aa', item_key: '', remove: true }]);
  });
});

describe('item maps (inspection scores)', () => {
  const inspection = (scores) => ({ ...synced({ scores }), entity: 'inspection' });

  it('an update sends only the changed items, and null for a score taken away', () => {
    const record = inspection({ a: { score: 3, note: '' }, b: { score: 4, note: '' }, c: { score: 1, note: '' } });
    const scores = { a: { score: 3, note: '' }, b: { score: 5, note: 'ดีขึ้น' } };
    const m = buildMutation({ record, changed: { scores }, mutationId: 'm5' });
    expect(m.fields.scores).toEqual({ b: { score: 5, note: 'ดีขึ้น' }, c: null });
  });

  it('a create sends the whole map', () => {
    const record = { ...newRecord('inspection', 'i1', NOW) };
    const scores = { a: { score: 3, note: '' } };
    expect(buildMutation({ record, changed: { scores }, mutationId: 'm6' }).fields.scores).toEqual(scores);
  });

  it('other maps and lists still travel whole', () => {
    const record = synced({ topics: ['health'] });
    expect(buildMutation({ record, changed: { topics: ['haze'] }, mutationId: 'm7' }).fields.topics).toEqual(['haze']);
  });

  it('a correction of a refused create merges item by item and carries no removals', () => {
    const rejected = { entity: 'inspection', op: 'create', fields: { scores: { a: { score: 9 }, b: { score: 2 } } } };
    const correction = { mutation_id: 'new', op: 'update', fields: { scores: { a: { score: 4 }, b: null } } };
    expect(mergeRejected(rejected, correction).fields.scores).toEqual({ a: { score: 4 } });
  });

  it('a correction of a refused update keeps its removals', () => {
    const rejected = { entity: 'inspection', op: 'update', fields: { scores: { a: { score: 9 }, c: null } } };
    const correction = { mutation_id: 'new', op: 'update', fields: { scores: { a: { score: 4 } } } };
    expect(mergeRejected(rejected, correction).fields.scores).toEqual({ a: { score: 4 }, c: null });
  });
});

describe('photoChanges', () => {
  it('sends nothing when the list is unchanged (server-only keys ignored)', () => {
    expect(photoChanges([photo('aa', { present: false })], [photo('aa')])).toEqual([]);
  });

  it('tells the same photo on two checklist items apart', () => {
    const changes = photoChanges([photo('aa', { item_key: 'x' })], [photo('aa', { item_key: 'y' })]);
    expect(changes).toEqual([photo('aa', { item_key: 'y' }), { sha256: 'aa', item_key: 'x', remove: true }]);
  });
});

describe('mergeRejected', () => {
  it('re-sends a rejected create as a create with the correction on top', () => {
    const rejected = { op: 'create', fields: { village_id: 'v1', notes: 'x' }, photos: [photo('aa')] };
    const correction = { mutation_id: 'new', op: 'update', fields: { notes: 'fixed' } };
    expect(mergeRejected(rejected, correction)).toEqual({
      mutation_id: 'new', op: 'create', fields: { village_id: 'v1', notes: 'fixed' }, photos: [photo('aa')] });
  });
});

describe('settleRecord', () => {
  const record = { ...newRecord('visit', 'r1', NOW), queued: true, state: 'pending', pending: { notes: 'b', villagers_met: 4 } };

  it('becomes synced with the server copy once nothing remains', () => {
    const next = settleRecord(record, { id: 'r1', version: 1, notes: 'b', villagers_met: 4 }, []);
    expect(next).toMatchObject({ state: 'synced', pending: {}, server: { version: 1 } });
  });

  it('keeps fields of mutations still in the outbox pending', () => {
    const next = settleRecord(record, { id: 'r1', version: 1, notes: 'b' }, [{ fields: { villagers_met: 4 }, state: 'pending' }]);
    expect(next).toMatchObject({ state: 'pending', pending: { villagers_met: 4 } });
  });

  it('lands a rejection in needs attention with the reason and field errors', () => {
    const rejected = { fields: { notes: 'b' }, state: 'rejected', reason: 'validation', detail: 'bad', errors: { notes: ['too long'] } };
    const next = settleRecord(record, null, [rejected]);
    expect(next.state).toBe('attention');
    expect(next.attention).toEqual({ kind: 'rejected', reason: 'validation', detail: 'bad', errors: { notes: ['too long'] },
      error_codes: [] });
    expect(next.pending).toEqual({ notes: 'b' });
  });

  it('keeps a conflict in needs attention until acknowledged', () => {
    const conflict = { kind: 'conflict', conflicts: [{ field: 'notes', kept_value: 'b', lost_value: 'c' }] };
    const next = settleRecord(record, { id: 'r1', version: 4 }, [], conflict);
    expect(next).toMatchObject({ state: 'attention', attention: conflict });
    expect(settleRecord(next, null, []).state).toBe('attention');
    expect(settleRecord({ ...next, attention: null }, null, []).state).toBe('synced');
  });

  it('keeps what was sent as a provisional copy when a replayed answer has no record', () => {
    const next = settleRecord(record, null, [], null, { version: 1, missing_photos: ['ab'] });
    expect(next.state).toBe('synced');
    expect(recordView(next)).toMatchObject({ notes: 'b', villagers_met: 4, version: 1, missing_photos: ['ab'] });
    expect(next.server.provisional).toBe(true);
  });

  it('never replaces a newer server copy with an older one', () => {
    const newer = { ...record, server: { id: 'r1', version: 5, notes: 'z' } };
    expect(settleRecord(newer, { id: 'r1', version: 2 }, []).server.version).toBe(5);
  });
});

describe('isoWithOffset', () => {
  it('writes the local offset the server requires', () => {
    expect(isoWithOffset(NOW)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(new Date(isoWithOffset(NOW)).getTime()).toBe(NOW.getTime());
  });
});

describe('assigneeActions', () => {
  it('offers start and resolve from accepted, resolve from in progress, nothing else', () => {
    expect(assigneeActions('accepted')).toEqual(['start', 'resolve']);
    expect(assigneeActions('in_progress')).toEqual(['resolve']);
    expect(assigneeActions('resolved')).toEqual([]);
    expect(assigneeActions('new')).toEqual([]);
  });
});
