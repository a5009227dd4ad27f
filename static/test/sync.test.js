import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkError, setToken } from '../src/api.js';
import { kvSet, useDatabase } from '../src/data/db.js';
import { pullCursor } from '../src/data/mirror.js';
import { getRecord, saveRecord } from '../src/data/store.js';
import { dropAbandonedPhotos, keepPhoto, photosToUpload, reconcilePhotos } from '../src/photos/store.js';
import { pullChanges } from '../src/sync/pull.js';
import { pushOutbox } from '../src/sync/push.js';
import { syncNow } from '../src/sync/engine.js';
import { loadMeta, meta as currentMeta, serverFields, useMeta } from '../src/data/meta.js';
import bundledMeta from '../src/data/meta.json';

let db;
const VISIT = { village_id: 'v1', visited_at: '2026-03-01T09:00:00+07:00', notes: 'n', photos: [] };
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** The JSON a request carried, gunzipped as the server does when the push was compressed. */
async function sentJson(init) {
  if (init.headers?.['Content-Encoding'] !== 'gzip') return JSON.parse(init.body);
  const stream = new Blob([init.body]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
}

/** A fake server: answers push from the mutations it is sent, remembering ids like the real one. */
function fakeServer({ failFirstPushAfterCommit = false, meta = bundledMeta } = {}) {
  const applied = new Map();
  let pushes = 0;
  const pages = [];
  const handler = vi.fn(async (url, init) => {
    if (url.startsWith('/api/sync/push')) {
      pushes += 1;
      const body = await sentJson(init);
      const results = body.mutations.map((m) => {
        if (applied.has(m.mutation_id)) return { mutation_id: m.mutation_id, status: 'duplicate', original: { status: 'applied', version: 1 } };
        applied.set(m.mutation_id, m);
        return { mutation_id: m.mutation_id, status: 'applied', version: 1, record: { id: m.record_id, version: 1, ...m.fields, missing_photos: [] } };
      });
      // The server committed; the answer never reaches the phone.
      if (failFirstPushAfterCommit && pushes === 1) throw new TypeError('Failed to fetch');
      return json({ results });
    }
    if (url.startsWith('/api/sync/pull')) return json(pages.shift() ?? { cursor: '9', has_more: false, changes: [] });
    if (url === '/api/meta') {
      if (init.headers['If-None-Match'] === '"m1"') return new Response(null, { status: 304 });
      return new Response(JSON.stringify(meta), { status: 200, headers: { 'Content-Type': 'application/json', ETag: '"m1"' } });
    }
    throw new Error(`unexpected ${url}`);
  });
  return { handler, applied, pages, meta };
}

beforeEach(async () => {
  db = await useDatabase(`sync-${crypto.randomUUID()}`);
  setToken('token');
});
afterEach(() => vi.unstubAllGlobals());

describe('pushOutbox', () => {
  it('sends the outbox in order and empties it once confirmed', async () => {
    const server = fakeServer();
    vi.stubGlobal('fetch', server.handler);
    await saveRecord('visit', 'r1', VISIT);
    await saveRecord('visit', 'r1', { ...VISIT, notes: 'changed' });
    const totals = await pushOutbox('dev-1');
    expect(totals).toMatchObject({ sent: 2, confirmed: 2, rejected: 0 });
    const body = await sentJson(server.handler.mock.calls[0][1]);
    expect(body.device_id).toBe('dev-1');
    expect(body.mutations.map((m) => m.op)).toEqual(['create', 'update']);
    expect(body.mutations[0]).not.toHaveProperty('state');
    expect(body.mutations[0]).not.toHaveProperty('seq');
    expect(await db.count('outbox')).toBe(0);
  });

  it('keeps everything when the answer is lost, and a retry duplicates nothing', async () => {
    const server = fakeServer({ failFirstPushAfterCommit: true });
    vi.stubGlobal('fetch', server.handler);
    await saveRecord('visit', 'r1', VISIT);
    await expect(pushOutbox('dev-1')).rejects.toBeInstanceOf(NetworkError);
    expect(await db.count('outbox')).toBe(1);
    const retried = await pushOutbox('dev-1');
    expect(retried.confirmed).toBe(1);
    expect(server.applied.size).toBe(1);
    const [first, second] = await Promise.all(server.handler.mock.calls.map(async (c) => (await sentJson(c[1])).mutations[0].mutation_id));
    expect(second).toBe(first);
    expect(await db.count('outbox')).toBe(0);
    expect((await getRecord('r1')).state).toBe('synced');
  });

  it('halves the batch on 413 until it fits', async () => {
    const sizes = [];
    vi.stubGlobal('fetch', vi.fn(async (url, init) => {
      const { mutations } = await sentJson(init);
      sizes.push(mutations.length);
      if (mutations.length > 2) return json({ status: 413, code: 'sync.too_many_mutations', limit: 2 }, 413);
      return json({ results: mutations.map((m) => ({ mutation_id: m.mutation_id, status: 'applied', record: { id: m.record_id, version: 1 } })) });
    }));
    for (const id of ['a', 'b', 'c', 'd', 'e']) await saveRecord('visit', id, VISIT);
    const totals = await pushOutbox('dev-1', { batchSize: 8 });
    expect(totals.confirmed).toBe(5);
    expect(sizes).toEqual([5, 4, 2, 2, 1]);
  });
});

describe('push compression', () => {
  it('sends a large push gzipped, and the server reads the same mutations', async () => {
    const server = fakeServer();
    vi.stubGlobal('fetch', server.handler);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await saveRecord('visit', id, { ...VISIT, notes: 'ประชุมประจำเดือนที่ศาลาประชาคม'.repeat(10) });
    await pushOutbox('dev-1');
    const init = server.handler.mock.calls[0][1];
    expect(init.headers['Content-Encoding']).toBe('gzip');
    const sent = await sentJson(init);
    expect(sent.mutations.map((m) => m.record_id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(init.body.byteLength).toBeLessThan(new TextEncoder().encode(JSON.stringify(sent)).length / 3);
  });

  it('sends a small body as it is', async () => {
    const server = fakeServer();
    vi.stubGlobal('fetch', server.handler);
    await saveRecord('visit', 'r1', VISIT);
    await pushOutbox('dev-1');
    const init = server.handler.mock.calls[0][1];
    expect(init.headers['Content-Encoding']).toBeUndefined();
    expect(typeof init.body).toBe('string');
  });
});

describe('pullChanges', () => {
  it('pulls every page and stores the opaque cursor', async () => {
    const server = fakeServer();
    server.pages.push(
      { cursor: '5', has_more: true, changes: [{ seq: 5, entity: 'category', id: 'roads', deleted: false, record: { code: 'roads', position: 0 } }] },
      { cursor: '8', has_more: false, changes: [{ seq: 8, entity: 'concern', id: 'c1', deleted: false, record: { id: 'c1', version: 2, status: 'accepted' } }] },
    );
    vi.stubGlobal('fetch', server.handler);
    const counts = await pullChanges();
    expect(counts).toMatchObject({ pages: 2, created: 1 });
    expect(server.handler.mock.calls.map((c) => c[0])).toEqual(['/api/sync/pull?cursor=0&limit=500', '/api/sync/pull?cursor=5&limit=500']);
    expect(await pullCursor()).toBe('8');
    expect(await db.get('categories', 'roads')).toBeDefined();
  });

  it('starts over from 0 after a reset, keeping the outbox', async () => {
    await kvSet('cursor', '77');
    await saveRecord('visit', 'r1', VISIT);
    const server = fakeServer();
    server.pages.push({ reset: true, reason: 'cursor_ahead', cursor: '0', has_more: true, changes: [] }, { cursor: '3', has_more: false, changes: [] });
    vi.stubGlobal('fetch', server.handler);
    await pullChanges();
    expect(server.handler.mock.calls.map((c) => c[0])).toEqual(['/api/sync/pull?cursor=77&limit=500', '/api/sync/pull?cursor=0&limit=500']);
    expect(await db.count('outbox')).toBe(1);
    expect(await pullCursor()).toBe('3');
  });
});

describe('syncNow', () => {
  it('asks to sign in again on 401 and deletes nothing', async () => {
    await kvSet('session', { token: 't', device_id: 'd', user: { username: 'u' } });
    await saveRecord('visit', 'r1', VISIT);
    vi.stubGlobal('fetch', vi.fn(async () => json({ status: 401, code: 'auth.invalid_token' }, 401)));
    const outcome = await syncNow({ withPhotos: false });
    expect(outcome.ok).toBe(false);
    expect((await db.get('kv', 'session')).needs_login).toBe(true);
    expect(await db.count('outbox')).toBe(1);
  });

  it('runs once more when asked during a sync, so an edit saved meanwhile is sent', async () => {
    await kvSet('session', { token: 't', device_id: 'd', user: { username: 'u' } });
    const server = fakeServer();
    vi.stubGlobal('fetch', server.handler);
    const first = syncNow({ withPhotos: false });
    await saveRecord('visit', 'late', VISIT);
    const joined = syncNow({ withPhotos: false });
    expect(joined).toBe(first);
    await first;
    await vi.waitFor(async () => expect(await db.count('outbox')).toBe(0));
    expect(server.applied.size).toBe(1);
  });

  it('pushes before it pulls', async () => {
    await kvSet('session', { token: 't', device_id: 'd', user: { username: 'u' } });
    await saveRecord('visit', 'r1', VISIT);
    const server = fakeServer();
    vi.stubGlobal('fetch', server.handler);
    const outcome = await syncNow({ withPhotos: false });
    expect(outcome.ok).toBe(true);
    expect(server.handler.mock.calls.map((c) => c[0].split('?')[0])).toEqual(['/api/meta', '/api/sync/push', '/api/sync/pull']);
  });
});

describe('the server\'s field lists (GET /api/meta)', () => {
  afterEach(() => useMeta(null));
  const session = { token: 't', device_id: 'd', user: { username: 'u' } };
  // A newer server: visits' notes became a field only it sets.
  const newer = structuredClone(bundledMeta);
  newer.entities.visit.server_fields.push('notes');

  it('are fetched on sync, kept on the phone, and revalidated by their ETag', async () => {
    await kvSet('session', session);
    const server = fakeServer({ meta: newer });
    vi.stubGlobal('fetch', server.handler);
    await syncNow({ withPhotos: false });
    expect(serverFields('visit').has('notes')).toBe(true);
    expect((await db.get('kv', 'meta')).etag).toBe('"m1"');
    await syncNow({ withPhotos: false });
    const asked = server.handler.mock.calls.filter((c) => c[0] === '/api/meta');
    expect(asked.map((c) => c[1].headers['If-None-Match'])).toEqual([undefined, '"m1"']);
    expect(serverFields('visit').has('notes')).toBe(true);
  });

  it('serve an offline start from the kept copy, the built-in one before any', async () => {
    expect(await loadMeta()).toBe(bundledMeta);
    await kvSet('meta', { etag: '"m1"', body: newer });
    useMeta(null);
    await loadMeta();
    expect(currentMeta()).toEqual(newer);
  });

  it('decide what an edit sends', async () => {
    useMeta(newer);
    await saveRecord('visit', 'r1', { ...VISIT, created_by_id: 3, district_code: '6501' });
    await saveRecord('concern', 'c1', { village_id: 'v1', description: 'd', status: 'new', priority: 1, approved_at: null });
    const [visit, concern] = await db.getAll('outbox');
    expect(Object.keys(visit.fields).sort()).toEqual(['village_id', 'visited_at']);
    expect(Object.keys(concern.fields).sort()).toEqual(['description', 'village_id']);
  });

  it('keep the copy in use when the server cannot answer them', async () => {
    await kvSet('session', session);
    const server = fakeServer();
    vi.stubGlobal('fetch', vi.fn(async (url, init) => (url === '/api/meta' ? json({ status: 404 }, 404) : server.handler(url, init))));
    const outcome = await syncNow({ withPhotos: false });
    expect(outcome.ok).toBe(true);
    expect(currentMeta()).toBe(bundledMeta);
  });
});

describe('reconcilePhotos', () => {
  const bytes = (n) => new Blob([new Uint8Array(n)], { type: 'image/jpeg' });

  it('frees the full bytes of uploaded photos the server has, and re-sends missing ones', async () => {
    await keepPhoto({ sha256: 'aa', blob: bytes(10), thumb: bytes(2), width: 1, height: 1 });
    await keepPhoto({ sha256: 'bb', blob: bytes(10), thumb: bytes(2), width: 1, height: 1 });
    await keepPhoto({ sha256: 'cc', blob: bytes(10), thumb: bytes(2), width: 1, height: 1 });
    for (const sha of ['aa', 'bb']) await db.put('photos', { ...(await db.get('photos', sha)), uploaded: true });
    await db.put('records', { id: 'r1', entity: 'visit', state: 'synced', pending: {}, server: { id: 'r1', version: 1, missing_photos: ['bb'] } });
    expect(await reconcilePhotos()).toEqual({ released: 1, again: 1 });
    expect((await db.get('photos', 'aa')).blob).toBeNull();
    expect((await db.get('photos', 'aa')).thumb).toBeTruthy();
    expect((await db.get('photos', 'bb')).uploaded).toBe(false);
    expect((await db.get('photos', 'cc')).blob).toBeTruthy();
  });
});

describe('which photos travel', () => {
  const bytes = () => new Blob([new Uint8Array(4)], { type: 'image/jpeg' });
  const link = (sha256) => ({ sha256, caption: '', position: 0, item_key: '', role: 'before' });

  it('uploads photos of queued records only, never of drafts or unsaved forms', async () => {
    for (const sha of ['queued', 'draft', 'unsaved']) await keepPhoto({ sha256: sha, blob: bytes(), thumb: bytes(), width: 1, height: 1 });
    await saveRecord('visit', 'q', { ...VISIT, photos: [link('queued')] });
    await saveRecord('visit', 'd', { ...VISIT, photos: [link('draft')] }, { draft: true });
    expect((await photosToUpload()).map((p) => p.sha256)).toEqual(['queued']);
  });

  it('drops a day-old photo of a form never saved, keeps a draft photo', async () => {
    for (const sha of ['draft', 'unsaved']) await keepPhoto({ sha256: sha, blob: bytes(), thumb: bytes(), width: 1, height: 1 });
    await saveRecord('visit', 'd', { ...VISIT, photos: [link('draft')] }, { draft: true });
    expect(await dropAbandonedPhotos(Date.now())).toBe(0);
    expect(await dropAbandonedPhotos(Date.now() + 25 * 3600 * 1000)).toBe(1);
    expect(await db.getAllKeys('photos')).toEqual(['draft']);
  });
});
