/** The server-mirrored data on the phone: pulled pages, reference data, the pull cursor. */
import { getDb, MIRROR_STORES } from './db.js';
import { planImport, RECORD_ENTITIES } from './importer.js';

/** Store one pull page and its cursor together, so a crash never skips or repeats a page. */
export async function applyPullPage(changes, nextCursor) {
  const db = await getDb();
  const tx = db.transaction(['records', 'kv', ...MIRROR_STORES], 'readwrite');
  const records = tx.objectStore('records');
  const ids = [...new Set(changes.filter((c) => RECORD_ENTITIES.has(c.entity)).map((c) => c.id))];
  const local = new Map();
  for (const id of ids) local.set(id, await records.get(id));
  const plan = planImport(changes, local);
  for (const item of plan.records) {
    if (item.record) await records.put(item.record);
    else if (item.kind === 'deleted') await records.delete(item.id);
  }
  for (const op of plan.reference) {
    const store = tx.objectStore(op.store);
    if (op.op === 'put') await store.put(op.value);
    else await store.delete(op.key);
  }
  await tx.objectStore('kv').put(nextCursor, 'cursor');
  await tx.done;
  return plan.counts;
}

/**
 * The server cannot serve our cursor: drop everything mirrored from it and start from 0.
 * The outbox, photos, drafts, records with unconfirmed edits and comments not yet pulled back
 * stay.
 */
export async function resetMirror() {
  const db = await getDb();
  const tx = db.transaction(['records', 'kv', ...MIRROR_STORES], 'readwrite');
  for (const name of MIRROR_STORES) {
    if (name !== 'followups') {
      await tx.objectStore(name).clear();
      continue;
    }
    let entry = await tx.objectStore(name).openCursor();
    while (entry) {
      if (!entry.value.local) await entry.delete();
      entry = await entry.continue();
    }
  }
  let cursor = await tx.objectStore('records').openCursor();
  while (cursor) {
    const record = cursor.value;
    if (record.state === 'synced' && !Object.keys(record.pending ?? {}).length) await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.objectStore('kv').put('0', 'cursor');
  await tx.done;
}

export async function pullCursor() {
  return (await (await getDb()).get('kv', 'cursor')) ?? '0';
}

/** Villages of the official's districts, sorted by subdistrict and หมู่ที่. */
export async function villages(districtCodes) {
  const all = await (await getDb()).getAll('villages');
  const allowed = new Set(districtCodes ?? []);
  return all
    .filter((v) => !v.deleted && (!allowed.size || allowed.has(v.district_code)))
    .sort((a, b) => a.subdistrict_code.localeCompare(b.subdistrict_code) || a.moo - b.moo);
}

export async function village(id) {
  return id ? (await getDb()).get('villages', id) : undefined;
}

export async function categories() {
  const all = await (await getDb()).getAll('categories');
  return all.sort((a, b) => a.position - b.position);
}

/** The newest active checklist of a code (a new version never rewrites an old one). */
export async function latestTemplate(code = 'clean_tidy') {
  const all = await (await getDb()).getAll('templates');
  return all.filter((t) => t.code === code && t.active !== false).sort((a, b) => b.version - a.version)[0];
}

export async function template(id) {
  return (await getDb()).get('templates', Number(id));
}

/** A concern's follow-up timeline, oldest first. */
export async function timeline(concernId) {
  const entries = await (await getDb()).getAllFromIndex('followups', 'concern_id', concernId);
  return entries.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
}
