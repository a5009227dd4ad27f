/**
 * Local records and the outbox in IndexedDB. Every function here touches only IndexedDB:
 * network calls happen before or after, never inside a transaction.
 */
import { getDb } from './db.js';
import {
  buildMutation, changedFields, isoWithOffset, mergeRejected, newRecord, photoLink, recordView, settleRecord,
} from './records.js';

const CONFIRMED = new Set(['applied', 'duplicate', 'merged', 'conflict']);

export function newId() {
  return crypto.randomUUID();
}

export async function getRecord(id) {
  return (await getDb()).get('records', id);
}

export async function listRecords(entity) {
  const db = await getDb();
  return entity ? db.getAllFromIndex('records', 'entity', entity) : db.getAll('records');
}

/**
 * Save an edit: as a draft (kept on the phone only) or queued for sync with a mutation id made
 * now, so every retry of this edit is recognised by the server as the same one.
 */
export async function saveRecord(entity, id, values, { draft = false, now = new Date() } = {}) {
  const db = await getDb();
  const tx = db.transaction(['records', 'outbox'], 'readwrite');
  const records = tx.objectStore('records');
  const outbox = tx.objectStore('outbox');
  const record = (await records.get(id)) ?? newRecord(entity, id, now);
  const changed = changedFields(record, values);
  const next = { ...record, pending: { ...record.pending, ...changed }, updated_local_at: now.toISOString() };
  if (draft && !record.queued) {
    next.state = 'draft';
  } else {
    const entries = await outbox.index('record_id').getAll(id);
    // A refused create or update is corrected by this edit; a refused transition is not.
    const rejected = entries.find((entry) => entry.state === 'rejected' && entry.op !== 'transition');
    let mutation = buildMutation({ record, changed, mutationId: newId(), now });
    if (rejected) {
      mutation = mergeRejected(rejected, mutation);
      await outbox.delete(rejected.seq);
    }
    const hasContent = Object.keys(mutation.fields).length || mutation.photos || rejected;
    if (hasContent) await outbox.add(mutation);
    next.queued = true;
    next.state = hasContent ? 'pending' : record.state;
    // The correction is on its way: the rejection no longer needs the official.
    if (record.attention?.kind === 'rejected') next.attention = null;
  }
  await records.put(next);
  await tx.done;
  return next;
}

/** Discard a draft that was never queued. */
export async function deleteDraft(id) {
  const db = await getDb();
  const record = await db.get('records', id);
  if (record && !record.queued) await db.delete('records', id);
}

/**
 * The official has seen what needed attention: a merge conflict, or a refused transition
 * (the server keeps it in quarantine); the record leaves "needs attention".
 */
export async function acknowledge(id) {
  const db = await getDb();
  const tx = db.transaction(['records', 'outbox'], 'readwrite');
  const record = await tx.objectStore('records').get(id);
  const outbox = tx.objectStore('outbox');
  if (record) {
    for (const entry of await outbox.index('record_id').getAll(id)) {
      if (entry.state === 'rejected' && entry.op === 'transition') await outbox.delete(entry.seq);
    }
    const remaining = await outbox.index('record_id').getAll(id);
    await tx.objectStore('records').put(settleRecord({ ...record, attention: null }, null, remaining));
  }
  await tx.done;
}

/**
 * Queue a workflow step of a concern (an assignee starting or resolving it), from the status
 * the official sees; the server checks it and answers stale if the status moved meanwhile.
 */
export async function queueTransition(id, { action, note = '', photos = [] }, now = new Date()) {
  const record = await getRecord(id);
  const transition = { action, from_status: recordView(record).status ?? 'new', note };
  return queueStep(id, transition, { baseVersion: record.server?.version ?? 1, photos }, now);
}

/**
 * Queue any workflow step (`transition` body: action, from_status and the step's values), the
 * one path for steps made on this phone, online or not. A supervisor may act on a concern the
 * phone has not pulled yet: the version and status then come from the server's answer shown.
 */
export async function queueStep(id, transition, { baseVersion, photos = [] } = {}, now = new Date()) {
  const db = await getDb();
  const tx = db.transaction(['records', 'outbox'], 'readwrite');
  const record = await tx.objectStore('records').get(id);
  const mutation = {
    mutation_id: newId(), entity: 'concern', record_id: id, op: 'transition',
    base_version: baseVersion ?? record?.server?.version ?? 1, transition, observed_at: isoWithOffset(now), state: 'pending',
  };
  if (photos.length) mutation.photos = photos.map(photoLink);
  const seq = await tx.objectStore('outbox').add(mutation);
  if (record) await tx.objectStore('records').put({ ...record, state: record.state === 'attention' ? 'attention' : 'pending' });
  await tx.done;
  return { ...mutation, seq };
}

/** Steps of a concern still in the outbox: waiting to be sent, or refused. */
export async function queuedSteps(id) {
  const entries = await (await getDb()).getAllFromIndex('outbox', 'record_id', id);
  return entries.filter((entry) => entry.op === 'transition');
}

/**
 * Queue a comment on a concern's follow-up timeline (a follow-up entry of kind comment). It
 * shows in the timeline at once, marked as waiting, until the pull brings the server's copy
 * under the same id. Returns the entry's id.
 */
export async function queueComment(concernId, body, now = new Date()) {
  const db = await getDb();
  const tx = db.transaction(['outbox', 'followups'], 'readwrite');
  const id = newId();
  const fields = { concern_id: concernId, body };
  await tx.objectStore('outbox').add({
    mutation_id: newId(), entity: 'followup', record_id: id, op: 'create', base_version: 0,
    fields, observed_at: isoWithOffset(now), state: 'pending',
  });
  await tx.objectStore('followups').put({
    id, concern_id: concernId, kind: 'comment', body, created_at: now.toISOString(), local: 'pending',
  });
  await tx.done;
  return id;
}

/**
 * Take back a comment the server refused: it leaves the phone's outbox and timeline (the
 * server keeps what it refused in quarantine, where an administrator can re-apply it).
 */
export async function discardComment(id) {
  const db = await getDb();
  const tx = db.transaction(['outbox', 'followups'], 'readwrite');
  for (const entry of await tx.objectStore('outbox').index('record_id').getAll(id)) {
    if (entry.entity === 'followup' && entry.state === 'rejected') await tx.objectStore('outbox').delete(entry.seq);
  }
  const shown = await tx.objectStore('followups').get(id);
  if (shown?.local === 'rejected') await tx.objectStore('followups').delete(id);
  await tx.done;
}

/** The next mutations to send, oldest first; rejected ones wait for a correction. */
export async function pendingMutations(limit, skip = new Set()) {
  const db = await getDb();
  const batch = [];
  let cursor = await db.transaction('outbox').store.openCursor();
  while (cursor && batch.length < limit) {
    if (cursor.value.state === 'pending' && !skip.has(cursor.value.mutation_id)) batch.push(cursor.value);
    cursor = await cursor.continue();
  }
  return batch;
}

/** The wire form of an outbox entry (local bookkeeping stripped). */
export function toWire(entry) {
  const { seq: _seq, state: _state, reason: _r, detail: _d, errors: _e, error_codes: _c, ...wire } = entry;
  return wire;
}

/**
 * The outcome a result stands for: a `duplicate` repeats the first answer (`original`, without
 * the record), and is acted on as if that first answer had arrived now.
 */
export function effectiveOutcome(result) {
  const status = result.status ?? result.outcome;
  if (status !== 'duplicate') return { ...result, status };
  const original = result.original ?? {};
  return { ...result, ...original, status: original.status ?? original.outcome ?? 'applied', record: null };
}

/** An outbox entry the server refused: kept, unsent, with the reason and per-field errors. */
function refused(entry, result) {
  return { ...entry, state: 'rejected', reason: result.reason ?? 'rejected', detail: result.detail ?? '',
    errors: result.errors ?? {}, error_codes: result.error_codes ?? [] };
}

/** Record what the server said about each sent mutation, in one transaction. */
export async function applyPushResults(sent, results) {
  const db = await getDb();
  const tx = db.transaction(['records', 'outbox', 'followups'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const records = tx.objectStore('records');
  const byId = new Map(sent.map((entry) => [entry.mutation_id, entry]));
  const touched = new Map();
  const summary = { confirmed: 0, rejected: 0, conflict: 0 };
  for (const raw of results) {
    const entry = byId.get(raw.mutation_id);
    if (!entry) continue;
    const result = effectiveOutcome(raw);
    if (entry.entity === 'followup') {
      await settleComment(tx, entry, result, summary);
      continue;
    }
    const info = touched.get(entry.record_id) ?? { serverRecord: null, attention: null, confirmed: null };
    if (result.status === 'rejected') {
      // The server keeps it in quarantine; here it waits, unsent, for the official's correction.
      await outbox.put(refused(entry, result));
      summary.rejected += 1;
    } else if (CONFIRMED.has(result.status)) {
      await outbox.delete(entry.seq);
      summary.confirmed += 1;
      if (result.record) info.serverRecord = result.record;
      info.confirmed = { version: result.version ?? result.record?.version, missing_photos: result.missing_photos };
      if (result.status === 'conflict' || (result.conflicts ?? []).length) {
        info.attention = { kind: 'conflict', conflicts: result.conflicts ?? [] };
        summary.conflict += 1;
      }
    }
    touched.set(entry.record_id, info);
  }
  for (const [recordId, info] of touched) {
    const record = await records.get(recordId);
    if (!record) continue;
    const remaining = await outbox.index('record_id').getAll(recordId);
    await records.put(settleRecord(record, info.serverRecord, remaining, info.attention, info.confirmed));
  }
  await tx.done;
  return summary;
}

/** A comment's answer: sent (the pull brings the server's copy), or refused with the reason. */
async function settleComment(tx, entry, result, summary) {
  const outbox = tx.objectStore('outbox');
  const followups = tx.objectStore('followups');
  const shown = await followups.get(entry.record_id);
  if (result.status === 'rejected') {
    const entryRefused = refused(entry, result);
    await outbox.put(entryRefused);
    if (shown) {
      await followups.put({ ...shown, local: 'rejected', reason: entryRefused.reason, detail: entryRefused.detail,
        errors: entryRefused.errors, error_codes: entryRefused.error_codes });
    }
    summary.rejected += 1;
  } else if (CONFIRMED.has(result.status)) {
    await outbox.delete(entry.seq);
    if (shown?.local) await followups.put({ ...shown, local: 'sent' });
    summary.confirmed += 1;
  }
}

/** A mutation the server refused outright (e.g. too large even alone) needs the official. */
export async function rejectLocally(entry, reason, detail) {
  await applyPushResults([entry], [{ mutation_id: entry.mutation_id, status: 'rejected', reason, detail }]);
}

/** How much is still only on this phone: queued mutations, drafts, photos not yet uploaded. */
export async function unsyncedSummary() {
  const db = await getDb();
  const [outbox, records, photos] = await Promise.all([
    db.getAll('outbox'), db.getAll('records'), db.getAll('photos')]);
  return {
    mutations: outbox.filter((e) => e.state !== 'rejected').length,
    rejected: outbox.filter((e) => e.state === 'rejected').length,
    drafts: records.filter((r) => r.state === 'draft').length,
    attention: records.filter((r) => r.state === 'attention').length,
    photos: photos.filter((p) => !p.uploaded).length,
  };
}

/** Take back a refused workflow step (the server keeps it in quarantine). */
export async function discardStep(seq) {
  const db = await getDb();
  const entry = await db.get('outbox', seq);
  if (entry?.op === 'transition' && entry.state === 'rejected') await db.delete('outbox', seq);
}
