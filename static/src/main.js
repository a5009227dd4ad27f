/** The page controller: start-up, routes, the sync triggers and the update prompt. */
import './style.css';
import { setToken } from './api.js';
import { getDb } from './data/db.js';
import { loadMeta } from './data/meta.js';
import { loadSession, logout } from './data/session.js';
import { unsyncedSummary } from './data/store.js';
import { language, setLanguage, t } from './i18n.js';
import { requestBackgroundSync, syncEvents, syncNow } from './sync/engine.js';
import { registerServiceWorker } from './sw-register.js';
import { h, replace } from './ui/dom.js';
import { isCurrent, isForm, menuFor, routeFor } from './ui/routes.js';

const root = document.getElementById('app');
const ctx = {
  session: null, query: new URLSearchParams(), syncEvent: null,
  navigate, rerender: render, flash, requestSync, logout: signOut, onLogin,
};
let updateBanner = null;
let renderCount = 0;

function navigate(path) {
  history.pushState(null, '', path);
  render();
}

function flash(text) {
  ctx.flashText = text;
}

/**
 * Sync in the page. After a save, also ask for a Background Sync (Android) in case the tab is
 * closed before signal returns; never from a Background Sync itself, which would loop.
 */
function requestSync(reason = 'manual') {
  if (!ctx.session?.token || ctx.session.needs_login) return;
  if (reason === 'save') requestBackgroundSync();
  syncNow({ reason });
  refresh();
}

async function onLogin() {
  ctx.session = await loadSession();
  // Ask the browser to keep our data under storage pressure (Chrome grants it to installed apps).
  navigator.storage?.persist?.().catch(() => {});
  history.replaceState(null, '', '/app');
  requestSync('login');
}

async function signOut() {
  await logout();
  // This account's server photos leave the caches; its unsent work stays (docs/pwa.md).
  import('./photos/remote.js').then((m) => m.forgetRemotePhotos()).catch(() => {});
  ctx.session = await loadSession();
  render();
}

function toggleLanguage() {
  // A form is drawn again in the other language with everything typed so far.
  if (isForm(window.location.pathname)) ctx.keepInput?.();
  const next = language() === 'th' ? 'en' : 'th';
  setLanguage(next);
  localStorage.setItem('fieldapp-lang', next);
  render();
}

/** The network badge: online, or offline as a normal state (work is kept and sent later). */
function netBadge(el = h('span', { class: 'net', role: 'status' })) {
  el.dataset.online = String(navigator.onLine);
  el.textContent = navigator.onLine ? t('net.online') : t('net.offline');
  return el;
}

function header() {
  const other = language() === 'th' ? 'English' : 'ภาษาไทย';
  return h('header', { class: 'top' },
    h('a', { href: '/app', 'data-link': true, class: 'brand' }, t('app.short_name')),
    netBadge(),
    h('button', { type: 'button', class: 'link', lang: language() === 'th' ? 'en' : 'th',
      // The name starts with what the button shows (axe: label-content-name-mismatch).
      'aria-label': `${other} — ${t('lang.switch')}`, onclick: toggleLanguage }, other));
}

function footerNav(pathname) {
  const menu = menuFor(ctx.session?.user?.role);
  return h('nav', { class: `bottom items-${menu.length}`, 'aria-label': t('nav.main') },
    menu.map((item) => h('a', { href: item[0], 'data-link': true, 'aria-current': isCurrent(item, pathname) ? 'page' : null }, t(item[1]))));
}

/** Draw the screen for the current address. */
async function render() {
  const url = new URL(window.location.href);
  ctx.query = url.searchParams;
  ctx.keepInput = null; // the form drawn now sets its own
  const signedIn = ctx.session?.token && !ctx.session.needs_login;
  const screen = signedIn ? routeFor(url.pathname) : (c) => import('./ui/login.js').then((m) => m.loginScreen(c));
  const mine = (renderCount += 1);
  let content;
  try {
    content = await screen(ctx);
  } catch (error) {
    content = h('div', { class: 'notice error', role: 'alert' }, t('app.screen_failed'), h('pre', {}, String(error?.message ?? error)));
  }
  // A newer render started while this one was loading: it wins.
  if (mine !== renderCount) return;
  const flashText = ctx.flashText;
  ctx.flashText = null;
  replace(root, header(), updateBanner,
    flashText ? h('p', { class: 'notice ok', role: 'status' }, flashText) : null,
    h('main', { id: 'main' }, content), signedIn ? footerNav(url.pathname) : null);
  root.dataset.role = signedIn ? ctx.session.user?.role ?? 'official' : 'none';
  if (!root.dataset.ready) performance.mark(signedIn ? 'fieldapp-home-ready' : 'fieldapp-login-ready');
  root.dataset.ready = 'true';
}

/**
 * Something changed in the background (sync, network): redraw screens that only show data;
 * a form being filled in is never redrawn under the official's fingers.
 */
function refresh() {
  const signedIn = ctx.session?.token && !ctx.session.needs_login;
  if (!signedIn || isForm(window.location.pathname)) {
    const net = root.querySelector('header .net');
    if (net) netBadge(net);
    return;
  }
  render();
}

/**
 * The sync state on <html>: data-sync (running, done, error), data-syncs (how many finished)
 * and data-unsynced (items still only on the phone). For styling, and for the browser tests.
 */
async function publishSyncState(type) {
  const html = document.documentElement;
  if (type === 'start') {
    html.dataset.sync = 'running';
    return;
  }
  const summary = await unsyncedSummary();
  html.dataset.unsynced = String(summary.mutations + summary.photos);
  html.dataset.sync = type;
  html.dataset.syncs = String(Number(html.dataset.syncs ?? 0) + 1);
}

function showUpdate(apply) {
  updateBanner = h('div', { class: 'notice update', role: 'alert', id: 'update-banner' }, t('update.available'),
    h('button', { type: 'button', class: 'primary', onclick: apply }, t('update.apply')));
  if (isForm(window.location.pathname)) root.querySelector('header')?.after(updateBanner);
  else refresh();
}

/** Thumbnails of records this phone may see but did not take, cached for offline use. */
function prefetchPhotos() {
  import('./photos/remote.js').then((m) => m.prefetchThumbnails()).catch(() => {});
}

function wireEvents() {
  // The desktop layout (queue beside a concern) and the phone's differ: draw again on crossing.
  window.matchMedia('(min-width: 1024px)').addEventListener('change', () => { if (!isForm(window.location.pathname) || /^\/app\/queue/.test(window.location.pathname)) render(); });
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-link]');
    if (!link || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  window.addEventListener('online', () => { requestSync('online'); });
  window.addEventListener('offline', refresh);
  for (const type of ['start', 'done', 'error']) {
    syncEvents.addEventListener(type, (event) => {
      // The event, not its text: the message follows a language switch.
      ctx.syncEvent = { type, detail: event.detail };
      publishSyncState(type);
      if (type === 'done') prefetchPhotos();
      refresh();
    });
  }
  syncEvents.addEventListener('auth-required', async () => {
    ctx.session = await loadSession();
    // Mid-form, the official saves first (saving needs no server); the sign-in screen follows.
    if (isForm(window.location.pathname)) {
      root.querySelector('header')?.after(h('p', { class: 'notice warn', role: 'alert' }, t('login.expired')));
    } else {
      render();
    }
  });
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if (event.data?.type === 'sync') requestSync('background');
  });
}

async function start() {
  setLanguage(localStorage.getItem('fieldapp-lang') || 'th');
  try {
    await getDb();
  } catch {
    replace(root, h('div', { class: 'notice error', role: 'alert' }, t('app.no_storage')));
    return;
  }
  ctx.session = await loadSession();
  await loadMeta();
  setToken(ctx.session?.token && !ctx.session.needs_login ? ctx.session.token : null);
  wireEvents();
  await render();
  registerServiceWorker(showUpdate).catch(() => {});
  requestSync('open');
}

start();
