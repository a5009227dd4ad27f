/**
 * The IndexedDB schema. Upgrades are additive steps keyed by version, so an older app shell
 * still reading this database (during a service-worker update) never finds its stores gone.
 */
import { openDB, deleteDB } from 'idb';

export const DB_NAME = 'fieldapp';
/** Server-mirrored stores: dropped on a pull reset (never the outbox, photos or drafts). */
export const MIRROR_STORES = ['villages', 'categories', 'templates', 'followups', 'forms'];

const UPGRADES = [
  // v1: everything the first release needs.
  (db) => {
    db.createObjectStore('kv');
    const records = db.createObjectStore('records', { keyPath: 'id' });
    records.createIndex('entity', 'entity');
    records.createIndex('state', 'state');
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('mutation_id', 'mutation_id', { unique: true });
    outbox.createIndex('record_id', 'record_id');
    db.createObjectStore('photos', { keyPath: 'sha256' });
    db.createObjectStore('villages', { keyPath: 'id' }).createIndex('district_code', 'district_code');
    db.createObjectStore('categories', { keyPath: 'code' });
    db.createObjectStore('templates', { keyPath: 'id' });
    db.createObjectStore('followups', { keyPath: 'id' }).createIndex('concern_id', 'concern_id');
  },
  // v2: survey forms given to the user (reference entity `form`, docs/pwa.md).
  (db) => {
    db.createObjectStore('forms', { keyPath: 'id' }).createIndex('form_key', 'form_key');
  },
];
export const DB_VERSION = UPGRADES.length;

/** Open (and upgrade) the database; a newer version open elsewhere asks this tab to close. */
export function openFieldDb(name = DB_NAME) {
  return openDB(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      for (let v = oldVersion; v < UPGRADES.length; v += 1) UPGRADES[v](db);
    },
    blocking(_current, _blocked, event) {
      event.target.close();
    },
  });
}

let dbPromise = null;

/** The app's shared database connection. */
export function getDb() {
  dbPromise ??= openFieldDb();
  return dbPromise;
}

/** Tests open a fresh database of their own under a unique name. */
export function useDatabase(name) {
  dbPromise = openFieldDb(name);
  return dbPromise;
}

export async function removeDatabase(name) {
  await deleteDB(name);
}

export async function kvGet(key) {
  return (await getDb()).get('kv', key);
}

export async function kvSet(key, value) {
  return (await getDb()).put('kv', value, key);
}
