/**
 * Importing pulled changes, as pure functions (Kinto.js style): each change against the local
 * copy gives created / updated / deleted / conflict / skipped and the record to store.
 */

import { same } from './records.js';

export const RECORD_ENTITIES = new Set(['visit', 'inspection', 'concern', 'survey']);
/** Reference data the official needs offline: entity -> IndexedDB store. */
export const REFERENCE_STORES = {
  village: 'villages',
  category: 'categories',
  template: 'templates',
  checklist_template: 'templates',
  followup: 'followups',
  form: 'forms',
};

/** Pending local fields that the server changed to something else meanwhile. */
export function conflictingFields(local, serverRecord) {
  const before = local.server ?? {};
  return Object.keys(local.pending ?? {}).filter(
    (name) => !same(before[name], serverRecord[name]) && !same(local.pending[name], serverRecord[name]),
  );
}

/**
 * Merge one pulled change of a visit, inspection or concern into the local copy (or undefined).
 * Unconfirmed local edits always stay on top: the server merges them when they are pushed.
 */
export function importChange(local, change) {
  const record = change.record ?? {};
  const hasPending = Boolean(local && Object.keys(local.pending ?? {}).length);
  if (!local) {
    if (change.deleted) return { kind: 'skipped', record: null };
    return {
      kind: 'created',
      record: { id: change.id, entity: change.entity, server: record, pending: {}, state: 'synced',
        attention: null, queued: true, created_local_at: null, updated_local_at: null },
    };
  }
  if (change.deleted) {
    if (!hasPending) return { kind: 'deleted', record: null };
    const fields = Object.keys(local.pending ?? {});
    return { kind: 'conflict', fields, record: { ...local, server: { ...(local.server ?? {}), ...record, deleted: true } } };
  }
  if (local.server && !local.server.provisional && Number(record.version) <= Number(local.server.version)) {
    return { kind: 'skipped', record: local };
  }
  const fields = conflictingFields(local, record);
  const next = { ...local, server: record };
  return fields.length ? { kind: 'conflict', fields, record: next } : { kind: 'updated', record: next };
}

/** The store operation for a pulled reference change (village, category, template, follow-up). */
export function importReference(change) {
  const store = REFERENCE_STORES[change.entity];
  if (!store) return null;
  if (change.deleted || change.record?.deleted) {
    return { store, op: 'delete', key: change.id };
  }
  return { store, op: 'put', value: change.record };
}

/** Sort a pull page into its store operations; unknown entities are ignored (newer server). */
export function planImport(changes, localById) {
  const plan = { records: [], reference: [], counts: { created: 0, updated: 0, deleted: 0, conflict: 0, skipped: 0 } };
  const seen = new Map(localById);
  for (const change of changes) {
    if (RECORD_ENTITIES.has(change.entity)) {
      const result = importChange(seen.get(change.id), change);
      plan.counts[result.kind] += 1;
      plan.records.push({ id: change.id, ...result });
      seen.set(change.id, result.record ?? undefined);
    } else {
      const op = importReference(change);
      if (op) plan.reference.push(op);
    }
  }
  return plan;
}
