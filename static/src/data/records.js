/**
 * The local record model, as pure functions.
 *
 * A local record keeps the last server copy (`server`) apart from the edits the server has not
 * confirmed yet (`pending`); what the official sees is the server copy with the edits on top.
 * States: draft (saved, not queued), pending (queued in the outbox), synced, attention
 * (rejected or merged with a conflict: the official has to look at it).
 */
import { itemMaps, serverFields, workflowFields } from './meta.js';

export const ENTITIES = ['visit', 'inspection', 'concern', 'survey'];
/** The local record's own bookkeeping, never sent. */
const LOCAL_FIELDS = new Set(['entity', 'provisional']);

/**
 * Whether `name` travels as a field of `entity`: not the phone's own bookkeeping, not set by
 * the server, not a workflow field (those change only through transitions). The server's lists
 * come from GET /api/meta (data/meta.js). Photo links travel beside the fields.
 */
function sentAsField(entity, name) {
  return name !== 'photos' && !LOCAL_FIELDS.has(name) && !serverFields(entity).has(name)
    && !workflowFields(entity).has(name);
}

/** What the official sees: the server copy with the unconfirmed edits on top. */
export function recordView(record) {
  if (!record) return null;
  return { ...(record.server ?? {}), ...(record.pending ?? {}), id: record.id, entity: record.entity };
}

/** A new, empty local record. */
export function newRecord(entity, id, now = new Date()) {
  return { id, entity, server: null, pending: {}, state: 'draft', attention: null,
    created_local_at: now.toISOString(), updated_local_at: now.toISOString(), queued: false };
}

/** Equal as stored data (JSON), e.g. two photo lists or score maps. */
export function same(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields of `values` that differ from what the record shows now (server-owned ones dropped). */
export function changedFields(record, values) {
  const view = recordView(record) ?? {};
  const changed = {};
  for (const [name, value] of Object.entries(values)) {
    if (name !== 'photos' && !sentAsField(record.entity, name)) continue;
    if (!same(view[name], value)) changed[name] = value;
  }
  return changed;
}

/** The keys a photo link is sent with (the server adds e.g. `present`). */
export function photoLink(photo) {
  const link = { sha256: photo.sha256, caption: photo.caption ?? '', position: photo.position ?? 0,
    item_key: photo.item_key ?? '', role: photo.role ?? 'before' };
  // capture provenance, taken when the photo was attached (photos/provenance.js)
  if (photo.exif) link.exif = photo.exif;
  if (photo.attached) link.attached = photo.attached;
  return link;
}

/** The items of a map that changed from `before` to `after`: new or changed ones, null for removed. */
export function itemChanges(before, after) {
  const changes = {};
  for (const [key, item] of Object.entries(after ?? {})) {
    if (!same(before?.[key], item)) changes[key] = item;
  }
  for (const key of Object.keys(before ?? {})) {
    if (!(key in (after ?? {}))) changes[key] = null;
  }
  return changes;
}

const linkKey = (p) => `${p.sha256}/${p.item_key ?? ''}`;

/**
 * The photo links to send for a change of the photo list: links are added (or updated) on the
 * server, so a removed photo travels as an explicit `remove`.
 */
export function photoChanges(before, after) {
  const old = new Map((before ?? []).map((p) => [linkKey(p), photoLink(p)]));
  const now = new Map((after ?? []).map((p) => [linkKey(p), photoLink(p)]));
  const changes = [];
  for (const [key, link] of now) if (!same(old.get(key), link)) changes.push(link);
  for (const [key, link] of old) {
    if (!now.has(key)) changes.push({ sha256: link.sha256, item_key: link.item_key, remove: true });
  }
  return changes;
}

/**
 * The outbox entry for an edit: a create carries every field (empty ones left out), an update
 * only the changed ones. Photo links travel beside the fields.
 */
export function buildMutation({ record, changed, mutationId, now = new Date() }) {
  const isCreate = !record.server && !record.queued;
  const before = recordView(record) ?? {};
  const view = { ...before, ...changed };
  const source = isCreate ? view : changed;
  const fields = {};
  const maps = itemMaps(record.entity);
  for (const [name, value] of Object.entries(source)) {
    if (!sentAsField(record.entity, name)) continue;
    if (isCreate && (value === null || value === undefined)) continue;
    fields[name] = !isCreate && maps.has(name) ? itemChanges(before[name], value) : value;
  }
  const mutation = {
    mutation_id: mutationId,
    entity: record.entity,
    record_id: record.id,
    op: isCreate ? 'create' : 'update',
    // A create starts from 0; an update of a record whose create is still queued starts from 1.
    base_version: isCreate ? 0 : (record.server?.version ?? 1),
    fields,
    observed_at: isoWithOffset(now),
    state: 'pending',
  };
  const photos = isCreate ? (view.photos ?? []).map(photoLink) : 'photos' in changed ? photoChanges(before.photos, changed.photos) : [];
  if (photos.length) mutation.photos = photos;
  return mutation;
}

/** An ISO 8601 time with the phone's own UTC offset (e.g. +07:00), as the server asks. */
export function isoWithOffset(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Fold a rejected entry into its correction: the corrected mutation re-sends what the
 * rejected one tried (a create stays a create) under a new mutation id.
 */
export function mergeRejected(rejected, correction) {
  const op = rejected.op === 'create' ? 'create' : correction.op;
  const fields = { ...rejected.fields, ...correction.fields };
  for (const name of itemMaps(rejected.entity)) {
    if (!(name in (correction.fields ?? {})) || !(name in (rejected.fields ?? {}))) continue;
    // The correction's items on top of the refused ones; a create carries no removals.
    const items = { ...rejected.fields[name], ...correction.fields[name] };
    fields[name] = op === 'create' ? Object.fromEntries(Object.entries(items).filter(([, v]) => v !== null)) : items;
  }
  const merged = { ...correction, op, fields };
  const photos = [...(rejected.photos ?? []), ...(correction.photos ?? [])];
  if (photos.length) merged.photos = photos;
  return merged;
}

/**
 * The record after the server confirmed some of its mutations.
 * `remaining` are the record's outbox entries still unconfirmed; their fields stay pending.
 * A confirmation without the server's record (`applied` answers carry only the new version
 * and the missing photos; a replayed `duplicate` neither) keeps what the device sent as a
 * provisional server copy until the pull that follows brings the real one.
 */
export function settleRecord(record, serverRecord, remaining, attention = null, confirmed = null) {
  if (!serverRecord && confirmed) {
    const { entity: _entity, ...view } = recordView(record);
    serverRecord = { ...view, version: confirmed.version ?? record.server?.version ?? 1,
      missing_photos: confirmed.missing_photos ?? view.missing_photos ?? [], provisional: true };
  }
  const stillPending = new Set();
  for (const entry of remaining) {
    for (const name of Object.keys(entry.fields ?? {})) stillPending.add(name);
    if (entry.photos) stillPending.add('photos');
  }
  const pending = {};
  for (const [name, value] of Object.entries(record.pending ?? {})) {
    if (stillPending.has(name)) pending[name] = value;
  }
  const server = serverRecord && (!record.server || record.server.provisional
    || serverRecord.version >= record.server.version) ? serverRecord : record.server;
  const rejected = remaining.find((entry) => entry.state === 'rejected');
  const next = { ...record, server, pending, queued: true };
  if (rejected) {
    next.state = 'attention';
    next.attention = { kind: 'rejected', op: rejected.op, reason: rejected.reason, detail: rejected.detail,
      errors: rejected.errors ?? {}, error_codes: rejected.error_codes ?? [] };
  } else if (attention || record.attention?.kind === 'conflict') {
    // A conflict stays in "needs attention" until the official has looked at it.
    next.state = 'attention';
    next.attention = attention ?? record.attention;
  } else {
    next.state = remaining.length ? 'pending' : 'synced';
    next.attention = null;
  }
  return next;
}

/**
 * The state a record is shown with: a synced record whose photos have not all reached the
 * server (its own upload waits, or the server still lists one as missing) is not "synced" yet.
 */
export function shownState(record, waitingPhotos = new Set()) {
  if (record.state !== 'synced') return record.state;
  const view = recordView(record);
  const photos = (view.photos ?? []).map((p) => p.sha256);
  const missing = record.server?.missing_photos ?? [];
  return missing.length || photos.some((sha) => waitingPhotos.has(sha)) ? 'photos' : 'synced';
}

/** The first words of a text, at most `max` characters, cut at a space where possible. */
export function firstWords(text, max = 60) {
  const clean = String(text ?? '').replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Whether the server would take an edit of this record from this user (the sync policy: the
 * author, a supervisor of its district or an admin, a concern's assignee). A record not yet on
 * the server is the author's own.
 */
export function mayEdit(record, view, user) {
  if (!record.server) return true;
  if (!user || editLock(record.entity, view)) return false;
  const author = view.created_by_id ?? view.created_by;
  if (author === user.id) return true;
  if (record.entity === 'concern' && view.assignee_id === user.id) return true;
  if (user.role === 'admin') return true;
  return user.role === 'supervisor' && (user.district_codes ?? []).includes(view.district_code);
}

// --- history (issue 13): what may change when, as the server's locks say
// (fieldapp/followup/locks.py; docs/sync-protocol.md, Locks). ---

/** What the citizen reported: once accepted, only a supervisor's correction changes it. */
export const REPORTED_FIELDS = ['description', 'category_code', 'village_id', 'lat', 'lon', 'gps_accuracy_m',
  'reporter_name', 'reporter_phone', 'reporter_consent', 'reported_at'];
const READ_ONLY_STATUSES = ['closed', 'rejected', 'duplicate'];

/** Why no edit of the record is taken now (a refusal code), or null. */
export function editLock(entity, view) {
  return entity === 'concern' && READ_ONLY_STATUSES.includes(view?.status) ? 'record_read_only' : null;
}

/** Whether what the citizen reported is locked (the concern was accepted). */
export function reportedLocked(entity, view) {
  return entity === 'concern' && Boolean(view?.status) && view.status !== 'new';
}
// --- end history ---
