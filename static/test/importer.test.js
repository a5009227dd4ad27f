import { describe, expect, it } from 'vitest';
import { importChange, importReference, planImport } from '../src/data/importer.js';

const change = (record, extra = {}) => ({ seq: 1, entity: 'concern', id: 'c1', deleted: false, record: { id: 'c1', ...record }, ...extra });
const local = (server, pending = {}, state = 'synced') => ({ id: 'c1', entity: 'concern', server, pending, state, queued: true });

describe('importChange', () => {
  it('creates a record the phone did not have', () => {
    const result = importChange(undefined, change({ version: 1, status: 'new' }));
    expect(result.kind).toBe('created');
    expect(result.record).toMatchObject({ id: 'c1', entity: 'concern', state: 'synced', pending: {}, server: { status: 'new' } });
  });

  it('skips a tombstone of a record the phone never had', () => {
    expect(importChange(undefined, change(null, { deleted: true, record: null })).kind).toBe('skipped');
  });

  it('deletes a synced record', () => {
    expect(importChange(local({ version: 2 }), change(null, { deleted: true, record: null }))).toEqual({ kind: 'deleted', record: null });
  });

  it('keeps a record with unsynced edits that the server deleted, as a conflict', () => {
    const result = importChange(local({ version: 2 }, { description: 'mine' }, 'pending'), change(null, { deleted: true, record: null }));
    expect(result.kind).toBe('conflict');
    expect(result.record.pending).toEqual({ description: 'mine' });
    expect(result.record.server.deleted).toBe(true);
  });

  it('updates a record to a newer server version', () => {
    const result = importChange(local({ version: 2, status: 'new' }), change({ version: 3, status: 'accepted' }));
    expect(result.kind).toBe('updated');
    expect(result.record.server.status).toBe('accepted');
  });

  it('skips an older or equal version (the push answer was newer)', () => {
    expect(importChange(local({ version: 3 }), change({ version: 3 })).kind).toBe('skipped');
    expect(importChange(local({ version: 4 }), change({ version: 3 })).kind).toBe('skipped');
  });

  it('replaces a provisional copy even at the same version', () => {
    const result = importChange(local({ version: 1, provisional: true }), change({ version: 1, grade: 'A' }));
    expect(result.kind).toBe('updated');
    expect(result.record.server.provisional).toBeUndefined();
  });

  it('reports a conflict when the server changed a field the phone is still changing', () => {
    const result = importChange(local({ version: 2, description: 'a', urgency: 'low' }, { description: 'mine' }, 'pending'),
      change({ version: 3, description: 'theirs', urgency: 'low' }));
    expect(result.kind).toBe('conflict');
    expect(result.fields).toEqual(['description']);
    expect(result.record.pending).toEqual({ description: 'mine' });
  });

  it('merges quietly when the server changed other fields', () => {
    const result = importChange(local({ version: 2, description: 'a', status: 'new' }, { description: 'mine' }, 'pending'),
      change({ version: 3, description: 'a', status: 'accepted' }));
    expect(result.kind).toBe('updated');
    expect({ ...result.record.server, ...result.record.pending }).toMatchObject({ description: 'mine', status: 'accepted' });
  });
});

describe('importReference', () => {
  it('puts villages, categories, templates and follow-ups in their stores', () => {
    expect(importReference({ entity: 'village', id: 'v1', deleted: false, record: { id: 'v1' } })).toEqual({ store: 'villages', op: 'put', value: { id: 'v1' } });
    expect(importReference({ entity: 'template', id: '1', deleted: false, record: { id: 1 } }).store).toBe('templates');
    expect(importReference({ entity: 'followup', id: 'f1', deleted: false, record: { id: 'f1' } }).store).toBe('followups');
  });

  it('deletes a tombstone by its id', () => {
    expect(importReference({ entity: 'category', id: 'roads', deleted: true, record: null })).toEqual({ store: 'categories', op: 'delete', key: 'roads' });
  });

  it('ignores an entity this app version does not know', () => {
    expect(importReference({ entity: 'survey', id: 'x', deleted: false, record: {} })).toBeNull();
  });
});

describe('planImport', () => {
  it('applies two changes of one record in a page in order', () => {
    const plan = planImport([change({ version: 1, status: 'new' }), change({ version: 2, status: 'accepted' })], new Map());
    expect(plan.counts).toMatchObject({ created: 1, updated: 1 });
    expect(plan.records.at(-1).record.server.status).toBe('accepted');
  });
});
