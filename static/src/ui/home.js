/** Home: today's work, what is still unsynced, the last sync, a sync button, storage. */
import { formatDateTime, t } from '../i18n.js';
import { downloadUnsynced } from '../data/export.js';
import { listRecords, unsyncedSummary } from '../data/store.js';
import { isSyncing, lastSyncAt } from '../sync/engine.js';
import { seesDashboard } from './dashboard.js';
import { h } from './dom.js';
import { syncMessage } from './sync-status.js';
import { recordList, recordTime } from './records-list.js';
import { recordView } from '../data/records.js';
import { awaitingHome } from './villager-word.js';

/** Storage use and whether the browser promised to keep our data. */
export async function storageStatus() {
  const persisted = (await navigator.storage?.persisted?.()) ?? false;
  const estimate = (await navigator.storage?.estimate?.()) ?? {};
  return { persisted, usageMb: (estimate.usage ?? 0) / 1048576, quotaMb: (estimate.quota ?? 0) / 1048576 };
}

function isToday(iso, now = new Date()) {
  return iso && new Date(iso).toDateString() === now.toDateString();
}

export async function homeScreen(ctx) {
  const [unsynced, last, storage, records] = await Promise.all([unsyncedSummary(), lastSyncAt(), storageStatus(), listRecords()]);
  const today = records.filter((r) => isToday(recordTime(recordView(r))) || isToday(r.created_local_at));
  const waiting = unsynced.mutations + unsynced.photos;
  const allSent = !waiting && !unsynced.attention && !unsynced.rejected && Boolean(last);
  const role = ctx.session.user?.role;
  // Supervisors and admins: today's counts from the server, in a chunk officials never load.
  const summary = role === 'supervisor' || role === 'admin'
    ? await import('../workspace/home-summary.js').then((m) => m.summaryCard(ctx)) : null;
  const syncButton = h('button', { type: 'button', class: 'primary', id: 'sync-button', disabled: isSyncing(),
    onclick: () => ctx.requestSync() }, isSyncing() ? t('sync.running') : t('sync.now'));
  return h('section', { class: 'home' },
    h('h1', {}, t('home.hello', { name: ctx.session.user?.display_name ?? '' })),
    summary,
    h('div', { class: `status-card${allSent ? ' all-sent' : ''}`, role: 'status' },
      allSent ? h('p', { class: 'all-sent-line', id: 'all-sent' }, t('home.all_sent')) : null,
      h('p', { id: 'unsynced-count', 'data-count': waiting }, t('home.unsynced', { n: unsynced.mutations, photos: unsynced.photos })),
      unsynced.attention ? h('p', {}, h('a', { href: '/app/records?tab=attention', 'data-link': true }, t('home.attention', { n: unsynced.attention }))) : null,
      h('p', { id: 'last-sync' }, last ? t('home.last_sync', { when: formatDateTime(last) }) : t('home.never_synced')),
      h('p', { id: 'sync-message', class: 'hint' }, ctx.syncEvent ? syncMessage(ctx.syncEvent.type, ctx.syncEvent.detail) : ''),
      syncButton),
    h('nav', { class: 'big-actions', 'aria-label': t('home.new') },
      h('a', { href: '/app/visit/new', 'data-link': true, class: 'button' }, t('home.new_visit')),
      h('a', { href: '/app/inspection/new', 'data-link': true, class: 'button' }, t('home.new_inspection')),
      h('a', { href: '/app/concern/new', 'data-link': true, class: 'button' }, t('home.new_concern')),
      h('a', { href: '/app/surveys', 'data-link': true, class: 'button' }, t('survey.title')),
      seesDashboard(ctx.session) ? h('a', { href: '/app/dashboard', 'data-link': true, class: 'button secondary' }, t('dashboard.title')) : null),
    await awaitingHome(ctx),
    h('h2', {}, t('home.today', { n: today.length })), await recordList(ctx, today),
    // Opened by the user, it stays open when a sync draws home again.
    h('details', { class: 'storage', open: Boolean(ctx.storageOpen), ontoggle: (e) => { ctx.storageOpen = e.target.open; } }, h('summary', {}, t('storage.title')),
      h('p', {}, t('storage.usage', { used: storage.usageMb.toFixed(1), quota: storage.quotaMb.toFixed(0) })),
      h('p', {}, storage.persisted ? t('storage.persisted') : t('storage.not_persisted')),
      h('button', { type: 'button', class: 'secondary', onclick: () => downloadUnsynced(ctx.session) }, t('storage.export')),
      h('button', { type: 'button', class: 'link', onclick: () => ctx.logout() }, t('login.logout'))));
}
