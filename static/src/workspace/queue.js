/**
 * The supervisor's and admin's concern queue: tabs with counts per status, filters, sort,
 * paging. From 1024 px the queue and the open concern sit side by side; on a phone the
 * concern replaces the queue (with a way back to the same filtered page).
 */
import { apiFetch, NetworkError } from '../api.js';
import { formatDate, language, t } from '../i18n.js';
import { rememberPeople } from '../data/people.js';
import { pageCount, PER_PAGE, queueApiPath, queueFilters, queueHref, QUEUE_TABS, tabCount } from '../data/queue-query.js';
import { h } from '../ui/dom.js';
import { concernPanel } from './concern-panel.js';
import { gazetteer } from './gazetteer.js';
import { queueFilterForm } from './queue-filters.js';
import { mayExport, queueExportForm } from './queue-export.js';

export const WIDE = '(min-width: 1024px)';

function villageName(village) {
  if (!village) return '';
  const name = language() === 'en' && village.name_en ? village.name_en : village.name_th;
  return `${t('village.moo')} ${village.moo} ${name}`;
}

/** One concern in the queue: what, where, status, urgency, due date, overdue, assignee. */
export function queueRow(item, href, current) {
  const category = language() === 'en' ? item.category_name_en || item.category_name_th : item.category_name_th;
  return h('li', { 'data-id': item.id, class: item.overdue ? 'overdue' : null },
    h('a', { href, 'data-link': true, class: 'row', 'aria-current': current ? 'true' : null },
      h('span', { class: 'row-head' }, h('strong', {}, category || item.category_code), ` · ${villageName(item.village)}`),
      h('span', { class: 'row-words' }, item.summary ?? ''),
      h('span', { class: 'row-meta' }, t('queue.reported', { date: formatDate(item.reported_at ?? item.created_at) }),
        item.assignee ? ` · ${t('queue.assigned_to', { name: item.assignee.display_name })}` : ''),
      h('span', { class: 'row-badges' },
        h('span', { class: `badge status-${item.status}` }, t(`status.${item.status}`)),
        h('span', { class: `badge urgency-${item.urgency}` }, t(`urgency.${item.urgency}`)),
        item.priority ? h('span', { class: 'badge' }, t('priority.n', { n: item.priority })) : null,
        item.due_date ? h('span', { class: 'badge' }, t('concern.due_short', { date: formatDate(item.due_date) })) : null,
        item.overdue ? h('span', { class: 'badge overdue' }, t('overdue.badge')) : null)));
}

function tabs(filters, counts) {
  return h('nav', { class: 'tabs scroll', 'aria-label': t('queue.tabs') }, QUEUE_TABS.map((tab) => {
    const n = tabCount(counts, tab);
    return h('a', { href: queueHref(filters, { status: tab }), 'data-link': true, 'aria-current': tab === filters.status ? 'page' : null },
      tab === 'open' ? t('queue.tab_open') : t(`status.${tab}`), n === null ? '' : ` (${n})`);
  }), h('a', { href: '/app/reviews/inspections?followup_needed=true', 'data-link': true }, t('queue.tab_followup')));
}

function pager(filters, total) {
  const pages = pageCount(total, PER_PAGE);
  if (pages <= 1) return null;
  return h('nav', { class: 'pager', 'aria-label': t('queue.pages') },
    filters.page > 1 ? h('a', { href: queueHref(filters, { page: filters.page - 1 }), 'data-link': true, class: 'button secondary' }, t('queue.previous')) : null,
    h('span', {}, t('queue.page_of', { page: filters.page, pages })),
    filters.page < pages ? h('a', { href: queueHref(filters, { page: filters.page + 1 }), 'data-link': true, class: 'button secondary' }, t('queue.next')) : null);
}

async function queueList(ctx, filters, openId) {
  let answer;
  try {
    answer = await apiFetch(queueApiPath(filters));
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return { list: h('p', { class: 'notice warn', role: 'status' }, t('queue.offline')), counts: null };
  }
  await rememberPeople(answer.items.map((item) => item.assignee));
  const query = ctx.query.toString();
  const rows = answer.items.map((item) => queueRow(item, `/app/queue/${item.id}${query ? `?${query}` : ''}`, item.id === openId));
  return {
    counts: answer.counts,
    list: h('div', {},
      h('p', { class: 'hint', role: 'status', id: 'queue-total' }, t('queue.total', { n: answer.total })),
      rows.length ? h('ul', { class: 'record-list queue-list' }, rows) : h('p', { class: 'empty' }, t('queue.empty')),
      pager(filters, answer.total)),
  };
}

export async function queueScreen(ctx, id) {
  const filters = queueFilters(ctx.query);
  const wide = window.matchMedia(WIDE).matches;
  const query = ctx.query.toString();
  const back = `/app/queue${query ? `?${query}` : ''}`;
  if (id && !wide) {
    return h('section', { class: 'queue-detail' },
      h('a', { href: back, 'data-link': true, class: 'button secondary back' }, t('queue.back')),
      await concernPanel(ctx, id));
  }
  const [places, { list, counts }] = await Promise.all([gazetteer(ctx.session.user), queueList(ctx, filters, id)]);
  const queue = h('section', { class: 'queue', 'aria-labelledby': 'queue-title' },
    h('h1', { id: 'queue-title' }, t('queue.title')),
    tabs(filters, counts), await queueFilterForm(ctx, filters, places), list,
    counts && mayExport(ctx.session.user) ? queueExportForm(ctx, filters) : null);
  if (!wide) return queue;
  return h('div', { class: 'split' }, queue,
    h('div', { class: 'split-detail' }, id ? await concernPanel(ctx, id) : h('p', { class: 'empty' }, t('queue.pick'))));
}
