/**
 * What the server says a device may send: per entity the fields, the server-set and workflow
 * fields, the item maps, and the enumerations (GET /api/meta, docs/sync-protocol.md). Fetched
 * on sign-in and every sync, kept in IndexedDB for offline starts; the copy built into the app
 * (meta.json, pinned to the server by tests/api/test_meta.py) serves the very first start.
 */
import { apiFetchRevalidated, HttpError } from '../api.js';
import { kvGet, kvSet } from './db.js';
import bundled from './meta.json';

let current = bundled;

/** The description in use now. */
export function meta() {
  return current;
}

/** Take the copy kept on the phone, when there is one (start-up, offline too). */
export async function loadMeta() {
  const kept = await kvGet('meta');
  if (kept?.body?.entities) current = kept.body;
  return current;
}

/**
 * Ask the server for its description (revalidated by ETag) and keep it. An error answer (an
 * older server without it) keeps the copy in use; no network is the caller's to handle.
 */
export async function refreshMeta() {
  const kept = await kvGet('meta');
  let answer;
  try {
    answer = await apiFetchRevalidated('/api/meta', { auth: false, etag: kept?.etag });
  } catch (error) {
    if (error instanceof HttpError) return current;
    throw error;
  }
  if (answer.notModified) {
    if (kept?.body?.entities) current = kept.body;
    return current;
  }
  if (!answer.data?.entities) return current;
  current = answer.data;
  await kvSet('meta', { etag: answer.etag, body: current });
  return current;
}

/** Tests: use this description instead. */
export function useMeta(value) {
  current = value ?? bundled;
}

const none = { fields: {}, server_fields: [], workflow_fields: [], item_maps: [] };

function entityMeta(entity) {
  return current.entities?.[entity] ?? none;
}

/** Fields of `entity` only the server sets (a device never sends them). */
export function serverFields(entity) {
  return new Set(entityMeta(entity).server_fields);
}

/** Fields of `entity` that change only through workflow transitions. */
export function workflowFields(entity) {
  return new Set(entityMeta(entity).workflow_fields);
}

/** Maps the server merges item by item (an update sends only the changed items). */
export function itemMaps(entity) {
  return new Set(entityMeta(entity).item_maps);
}

/** The field a device may send, with its type, limits and choices (undefined if none). */
export function fieldRule(entity, name) {
  return entityMeta(entity).fields[name];
}

/** One of the server's enumerations: topics, place_types, urgencies, concern_statuses… */
export function enumeration(name) {
  return current.enums?.[name] ?? [];
}
