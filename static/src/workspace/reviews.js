/**
 * Visits and inspections under review (supervisors: their districts; admins: all): lists with
 * filters, newest first, paged; inspections also by review state and "follow-up needed".
 */
import { apiFetch, NetworkError } from '../api.js';
import { formatDateTime, language, t } from '../i18n.js';
import { field, h } from '../ui/dom.js';
import { pageCount, PER_PAGE } from '../data/queue-query.js';
import { gazetteer } from './gazetteer.js';

const COMMON = ['district', 'village', 'from', 'to', 'q'];
const INSPECTION = ['review', 'followup_needed'];
export const REVIEW_STATES = ['pending', 'approved', 'reinspection_requested'];

/** The list's filters from the address, and the API path for a page of it. */
export function reviewQuery(kind, params) {
  const names = kind === 'inspections' ? [...COMMON, ...INSPECTION] : COMMON;
  const query = new URLSearchParams();
  for (const name of names) if (params.get(name)) query.set(name, params.get(name));
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  return { filters: Object.fromEntries(query), page, path: `/api/${kind}?${query}&page=${page}&per_page=${PER_PAGE}` };
}

function villageName(v) {
  return v ? `${t('village.moo')} ${v.moo} ${language() === 'en' && v.name_en ? v.name_en : v.name_th}` : '';
}

function itemRow(kind, item) {
  const when = item.visited_at ?? item.inspected_at;
  const title = kind === 'inspections' ? `${item.place_name ?? ''}` : (item.topics ?? []).map((k) => t(`topic.${k}`)).join(', ');
  return h('li', {}, h('a', { href: `/app/review/${kind === 'visits' ? 'visit' : 'inspection'}/${item.id}`, 'data-link': true, class: 'row' },
    h('span', { class: 'row-head' }, h('strong', {}, title || t(`entity.${kind === 'visits' ? 'visit' : 'inspection'}`)), ` · ${villageName(item.village)}`),
    h('span', { class: 'row-meta' }, formatDateTime(when), item.author ? ` · ${item.author.display_name}` : ''),
    h('span', { class: 'row-badges' },
      item.grade ? h('span', { class: 'badge' }, `${item.grade} (${item.total}/${item.max_total})`) : null,
      item.followup_needed ? h('span', { class: 'badge overdue' }, t('inspection.followup_needed')) : null,
      item.review_status ? h('span', { class: `badge review-${item.review_status}` }, t(`review.${item.review_status}`)) : null)));
}

async function filterForm(ctx, kind, filters) {
  const places = await gazetteer(ctx.session.user);
  const select = (name, label, options) => field(label, h('select', { name },
    h('option', { value: '' }, t('queue.any')),
    options.map(([value, text]) => h('option', { value, selected: filters[name] === String(value) }, text))));
  const date = (name, label) => field(label, h('input', { type: 'date', name, value: filters[name] ?? '' }));
  const form = h('form', { class: 'queue-filters', role: 'search', 'aria-label': t('queue.filters'), onsubmit: (e) => {
    e.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) query.set(name, value);
    ctx.navigate(`/app/reviews/${kind}${query.toString() ? `?${query}` : ''}`);
  } },
  field(t('queue.search'), h('input', { type: 'search', name: 'q', value: filters.q ?? '' })),
  h('div', { class: 'filter-grid' },
    select('district', t('queue.district'), places.districts.map((d) => [d.code, language() === 'en' ? d.name_en : d.name_th])),
    select('village', t('village.label'), places.villages.filter((v) => !filters.district || v.district_code === filters.district)
      .map((v) => [v.id, villageName(v)])),
    date('from', t('reviews.from')), date('to', t('reviews.to')),
    kind === 'inspections' ? select('review', t('reviews.review_state'), REVIEW_STATES.map((s) => [s, t(`review.${s}`)])) : null),
  kind === 'inspections' ? h('div', { class: 'field check' }, h('label', {},
    h('input', { type: 'checkbox', name: 'followup_needed', value: 'true', checked: filters.followup_needed === 'true' }),
    t('inspection.followup_needed'))) : null,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('queue.apply'))));
  form.addEventListener('change', (e) => { if (e.target.name !== 'q') form.requestSubmit(); });
  return h('details', { class: 'filters', open: Object.keys(filters).length > 0 || window.matchMedia('(min-width: 1024px)').matches },
    h('summary', {}, t('queue.filters')), form);
}

export async function reviewsScreen(ctx, kind) {
  const { filters, page, path } = reviewQuery(kind, ctx.query);
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('reviews.tabs') }, ['inspections', 'visits'].map((k) => h('a', {
    href: `/app/reviews/${k}`, 'data-link': true, 'aria-current': k === kind ? 'page' : null }, t(`reviews.${k}`))));
  let body;
  try {
    const answer = await apiFetch(path);
    const pages = pageCount(answer.total);
    const at = (n) => { const q = new URLSearchParams(ctx.query); q.set('page', n); return `/app/reviews/${kind}?${q}`; };
    body = h('div', {}, h('p', { class: 'hint', role: 'status' }, t('queue.total', { n: answer.total })),
      answer.items.length ? h('ul', { class: 'record-list' }, answer.items.map((item) => itemRow(kind, item))) : h('p', { class: 'empty' }, t('queue.empty')),
      pages > 1 ? h('nav', { class: 'pager', 'aria-label': t('queue.pages') },
        page > 1 ? h('a', { href: at(page - 1), 'data-link': true, class: 'button secondary' }, t('queue.previous')) : null,
        h('span', {}, t('queue.page_of', { page, pages })),
        page < pages ? h('a', { href: at(page + 1), 'data-link': true, class: 'button secondary' }, t('queue.next')) : null) : null);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    body = h('p', { class: 'notice warn', role: 'status' }, t('queue.offline'));
  }
  return h('section', { class: 'reviews' }, h('h1', {}, t('reviews.title')), tabs, await filterForm(ctx, kind, filters), body);
}
