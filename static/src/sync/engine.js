/**
 * One sync: push the outbox, then upload photos, then pull. Runs once at a time (a Web Lock
 * also keeps a Background Sync in the service worker from overlapping a sync in the page).
 */
import { AuthError, NetworkError } from '../api.js';
import { kvGet, kvSet } from '../data/db.js';
import { refreshMeta } from '../data/meta.js';
import { loadSession, markNeedsLogin } from '../data/session.js';
import { dropAbandonedPhotos, reconcilePhotos } from '../photos/store.js';
import { retryDelay } from './backoff.js';
import { pullChanges } from './pull.js';
import { pushOutbox } from './push.js';

export const syncEvents = new EventTarget();
const state = { running: null, attempt: 0, timer: null, lastError: null };

function emit(type, detail = {}) {
  syncEvents.dispatchEvent(new CustomEvent(type, { detail }));
}

async function withLock(run) {
  if (globalThis.navigator?.locks) return navigator.locks.request('fieldapp-sync', run);
  return run();
}

/** The three steps, in order; photos need XMLHttpRequest, so a service worker skips them. */
async function runSteps({ withPhotos }) {
  // Surely offline: do not wake the radio; the `online` event starts the next sync.
  if (globalThis.navigator?.onLine === false) throw new NetworkError('offline');
  const session = await loadSession();
  if (!session?.token || session.needs_login) throw new AuthError('not signed in');
  // The server's field lists first: the edits made from here on follow them.
  await refreshMeta();
  const pushed = await pushOutbox(session.device_id);
  let uploads = { uploaded: 0, refused: [], retry: [] };
  if (withPhotos) {
    const { uploadPhotos } = await import('./uploads.js');
    uploads = await uploadPhotos({ onProgress: (sha256, sent, total) => emit('progress', { sha256, sent, total }) });
  }
  const pulled = await pullChanges();
  const photos = withPhotos ? { ...(await reconcilePhotos()), abandoned: await dropAbandonedPhotos() } : null;
  return { pushed, uploads, pulled, photos };
}

function scheduleRetry(options) {
  clearTimeout(state.timer);
  const delay = retryDelay(state.attempt);
  state.attempt += 1;
  state.timer = setTimeout(() => { syncNow(options); }, delay);
  return Date.now() + delay;
}

/** One complete sync; never throws: the outcome is emitted and returned. */
async function runOnce({ withPhotos, reason }) {
  emit('start', { reason });
  try {
    const result = await withLock(() => runSteps({ withPhotos }));
    state.attempt = 0;
    clearTimeout(state.timer);
    state.lastError = null;
    await kvSet('last_sync_at', new Date().toISOString());
    // A photo met a passing server error: the next try comes by itself, with back-off.
    if (result.uploads.retry?.length) result.retryAt = scheduleRetry({ withPhotos, reason: 'retry' });
    emit('done', { result });
    return { ok: true, result };
  } catch (error) {
    state.lastError = error;
    if (error instanceof AuthError) {
      await markNeedsLogin();
      emit('auth-required', {});
      emit('error', { error });
      return { ok: false, error };
    }
    // Offline or a server hiccup: try again later, ever more patiently.
    const retryable = (error instanceof NetworkError && globalThis.navigator?.onLine !== false) || error.status >= 500;
    const retryAt = retryable ? scheduleRetry({ withPhotos, reason: 'retry' }) : null;
    emit('error', { error, retryAt });
    return { ok: false, error, retryAt };
  }
}

/**
 * Sync now. While a sync runs, a new request (an edit saved meanwhile) is not lost: one more
 * sync follows the running one.
 */
export function syncNow({ withPhotos = true, reason = 'manual' } = {}) {
  if (state.running) {
    state.again = { withPhotos, reason };
    return state.running;
  }
  state.running = runOnce({ withPhotos, reason }).finally(() => {
    state.running = null;
    const again = state.again;
    state.again = null;
    if (again) syncNow(again);
  });
  return state.running;
}

export function isSyncing() {
  return Boolean(state.running);
}

export async function lastSyncAt() {
  return kvGet('last_sync_at');
}

/** Ask the browser for a Background Sync (Android Chrome); iOS has none and syncs on open. */
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register('fieldapp-sync');
  } catch {
    // Not supported or not allowed: the app syncs on open, on `online` and by the button.
  }
}
