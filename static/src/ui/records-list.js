/** My records by sync state, and the concerns assigned to me. */
import { formatDateTime, t } from '../i18n.js';
import { villages } from '../data/mirror.js';
import { recordView } from '../data/records.js';
import { listRecords } from '../data/store.js';
import { h } from './dom.js';
import { villageLabel } from './village-picker.js';

export const TABS = ['draft', 'pending', 'synced', 'attention'];

/** When a record happened, whatever its kind. */
export function recordTime(view) {
  return view.visited_at ?? view.inspected_at ?? view.reported_at ?? null;
}

/** One line per record, newest first. */
export async function recordList(ctx, records) {
  const byId = new Map((await villages(null)).map((v) => [v.id, v]));
  const views = records.map((r) => ({ record: r, view: recordView(r) }))
    .sort((a, b) => String(recordTime(b.view)).localeCompare(String(recordTime(a.view))));
  if (!views.length) return h('p', { class: 'empty' }, t('records.empty'));
  return h('ul', { class: 'record-list' }, views.map(({ record, view }) => h('li', {},
    h('a', { href: `/app/record/${record.id}`, 'data-link': true },
      h('strong', {}, t(`entity.${record.entity}`)), ' ',
      view.entity === 'inspection' ? view.place_name : villageLabel(byId.get(view.village_id)), ' · ',
      formatDateTime(recordTime(view)),
      view.status ? h('span', { class: `badge status-${view.status}` }, t(`status.${view.status}`)) : null,
      h('span', { class: `badge state-${record.state}` }, t(`state.${record.state}`))))));
}

export async function recordsScreen(ctx) {
  const tab = TABS.includes(ctx.query.get('tab')) ? ctx.query.get('tab') : 'pending';
  const all = await listRecords();
  const counts = Object.fromEntries(TABS.map((s) => [s, all.filter((r) => r.state === s).length]));
  const nav = h('nav', { class: 'tabs', 'aria-label': t('records.tabs') }, TABS.map((s) => h('a', {
    href: `/app/records?tab=${s}`, 'data-link': true, 'aria-current': s === tab ? 'page' : null,
  }, `${t(`state.${s}`)} (${counts[s]})`)));
  return h('section', {}, h('h1', {}, t('records.title')), nav,
    await recordList(ctx, all.filter((r) => r.state === tab)));
}

export async function assignedScreen(ctx) {
  const mine = (await listRecords('concern')).filter((r) => {
    const view = recordView(r);
    return view.assignee_id === ctx.session.user?.id && !['closed', 'rejected', 'duplicate'].includes(view.status);
  });
  return h('section', {}, h('h1', {}, t('assigned.title')), await recordList(ctx, mine));
}
