/** My records by sync state, and the concerns assigned to me. */
import { formatDate, formatDateTime, localName, t } from '../i18n.js';
import { categories, villages } from '../data/mirror.js';
import { firstWords, recordView, shownState } from '../data/records.js';
import { listRecords } from '../data/store.js';
import { waitingPhotoShas } from '../photos/store.js';
import { h } from './dom.js';
import { villageLabel } from './village-picker.js';

export const TABS = ['draft', 'pending', 'synced', 'attention'];
const CLOSED = ['closed', 'rejected', 'duplicate'];

/** When a record happened, whatever its kind. */
export function recordTime(view) {
  return view.visited_at ?? view.inspected_at ?? view.reported_at ?? view.filled_at ?? null;
}

/** What tells one record from another in a list: kind, what (category, place) and its first words. */
export function rowTitle(view, category) {
  if (view.entity === 'concern') return [localName(category) || view.category_code, firstWords(view.description, 60)];
  if (view.entity === 'survey') return ['', firstWords(view.notes, 60)];
  if (view.entity === 'inspection') return [view.place_name, view.grade ? `${view.grade} (${view.total}/${view.max_total})` : ''];
  return [(view.topics ?? []).map((k) => t(`topic.${k}`)).join(', '), firstWords(view.notes, 60)];
}

/** Today as YYYY-MM-DD on this phone (overdue on the phone is a hint; the server decides). */
function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function row(record, view, village, category, waiting) {
  const [what, words] = rowTitle(view, category);
  const state = shownState(record, waiting);
  const overdue = view.due_date && view.due_date < today() && !CLOSED.includes(view.status) && view.status !== 'resolved';
  return h('li', {}, h('a', { href: record.entity === 'survey' ? `/app/survey/${record.id}` : `/app/record/${record.id}`, 'data-link': true, class: 'row' },
    h('span', { class: 'row-head' }, h('strong', {}, t(`entity.${record.entity}`)), what ? ` · ${what}` : ''),
    words ? h('span', { class: 'row-words' }, words) : null,
    h('span', { class: 'row-meta' }, villageLabel(village), ' · ', formatDateTime(recordTime(view))),
    h('span', { class: 'row-badges' },
      view.status ? h('span', { class: `badge status-${view.status}` }, t(`status.${view.status}`)) : null,
      view.due_date ? h('span', { class: 'badge' }, t('concern.due_short', { date: formatDate(view.due_date) })) : null,
      overdue ? h('span', { class: 'badge overdue' }, t('overdue.badge')) : null,
      h('span', { class: `badge state-${state}` }, t(`state.${state}`)))));
}

/** One row per record, newest first. */
export async function recordList(ctx, records) {
  const [allVillages, cats, waiting] = await Promise.all([villages(null), categories(), waitingPhotoShas()]);
  const byId = new Map(allVillages.map((v) => [v.id, v]));
  const byCode = new Map(cats.map((c) => [c.code, c]));
  const views = records.map((r) => ({ record: r, view: recordView(r) }))
    .sort((a, b) => String(recordTime(b.view)).localeCompare(String(recordTime(a.view))));
  if (!views.length) return h('p', { class: 'empty' }, t('records.empty'));
  return h('ul', { class: 'record-list' }, views.map(({ record, view }) => row(record, view, byId.get(view.village_id),
    byCode.get(view.category_code), waiting)));
}

export async function recordsScreen(ctx) {
  const tab = TABS.includes(ctx.query.get('tab')) ? ctx.query.get('tab') : 'pending';
  const all = await listRecords();
  const counts = Object.fromEntries(TABS.map((s) => [s, all.filter((r) => r.state === s).length]));
  const nav = h('nav', { class: 'tabs fit', 'aria-label': t('records.tabs') }, TABS.map((s) => h('a', {
    href: `/app/records?tab=${s}`, 'data-link': true, 'aria-current': s === tab ? 'page' : null,
  }, `${t(`state.${s}`)} (${counts[s]})`)));
  return h('section', {}, h('h1', {}, t('records.title')), nav,
    await recordList(ctx, all.filter((r) => r.state === tab)));
}

/** Concerns assigned to me that are still open, and inspections of mine sent back for re-inspection. */
export async function assignedScreen(ctx) {
  const me = ctx.session.user?.id;
  const all = await listRecords();
  const concerns = all.filter((r) => {
    const view = recordView(r);
    return r.entity === 'concern' && view.assignee_id === me && !CLOSED.includes(view.status);
  });
  const again = all.filter((r) => {
    const view = recordView(r);
    return r.entity === 'inspection' && view.review_status === 'reinspection_requested' && (view.created_by_id ?? view.created_by) === me;
  });
  return h('section', {}, h('h1', {}, t('assigned.title')), await recordList(ctx, concerns),
    again.length ? [h('h2', {}, t('assigned.reinspections')), await recordList(ctx, again)] : null);
}
