/** Who is signed in on this phone: token, device id and user, kept in IndexedDB. */
import { apiFetch, setToken } from '../api.js';
import { kvGet, kvSet } from './db.js';
import { resetMirror } from './mirror.js';
import { unsyncedSummary } from './store.js';

/** A short description of this phone for the device list ("Android · Chrome"). */
export function deviceName(userAgent = navigator.userAgent) {
  const os = /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS'
      : /Windows/.test(userAgent) ? 'Windows'
        : /Mac OS X/.test(userAgent) ? 'macOS'
          : /Linux/.test(userAgent) ? 'Linux' : 'other';
  const browser = /Edg\//.test(userAgent) ? 'Edge'
    : /(Chrome|Chromium|CriOS)\//.test(userAgent) ? 'Chrome'
      : /Firefox|FxiOS/.test(userAgent) ? 'Firefox'
        : /Safari\//.test(userAgent) ? 'Safari' : 'browser';
  return `${os} · ${browser}`.slice(0, 200);
}

export async function loadSession() {
  const session = (await kvGet('session')) ?? null;
  setToken(session?.token && !session.needs_login ? session.token : null);
  return session;
}

/** Sign in. Another account's unsynced work on this phone must reach the server first. */
export async function login(username, password) {
  const previous = await kvGet('session');
  if (previous?.user && previous.user.username !== username) {
    const unsynced = await unsyncedSummary();
    if (unsynced.mutations || unsynced.photos || unsynced.drafts) {
      const error = new Error('other-user-unsynced');
      error.code = 'other-user-unsynced';
      error.owner = previous.user.username;
      throw error;
    }
  }
  const result = await apiFetch('/api/auth/login', {
    method: 'POST', auth: false, body: { username, password, device_name: deviceName() },
  });
  if (previous?.user && previous.user.username !== username) await resetMirror();
  const session = { token: result.token, device_id: result.device_id, user: result.user, needs_login: false };
  await kvSet('session', session);
  setToken(session.token);
  return session;
}

/** The token was refused: keep user and device, and everything unsynced; ask to sign in. */
export async function markNeedsLogin() {
  const session = await kvGet('session');
  if (session) await kvSet('session', { ...session, token: null, needs_login: true });
  setToken(null);
}

/** Sign out: revoke the token on the server when reachable; nothing unsynced is deleted. */
export async function logout() {
  try {
    await apiFetch('/api/auth/logout', { method: 'POST' });
  } catch {
    // Offline or already revoked: signing out on the phone still works.
  }
  await markNeedsLogin();
}
