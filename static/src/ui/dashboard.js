/**
 * The dashboard (supervisors and admins, online): figures per district and category, per
 * month, and Clean & Tidy scores, as tables, with charts beside them (Chart.js, loaded only
 * here). The figures come from GET /api/reports/dashboard, scoped by the server.
 */
import { apiFetch } from '../api.js';
import { language, t } from '../i18n.js';
import { h, field } from './dom.js';

const FILTERS = ['start', 'end', 'district', 'category'];
const FIGURES = ['received', 'open', 'overdue', 'resolved', 'median_days', 'p90_days',
  'share_within_service_level', 'villager_confirmed'];

/** Supervisors and admins see the dashboard; the server checks it again. */
export function seesDashboard(session) {
  return ['supervisor', 'admin'].includes(session?.user?.role);
}

function nameOf(names, code) {
  const entry = names?.[code];
  return entry ? entry[language()] ?? entry.th : code ?? t('dashboard.all');
}

function cell(figure, value) {
  if (value === null || value === undefined) return '–';
  if (figure === 'share_within_service_level') return `${Math.round(value * 100)}%`;
  return String(value);
}

/** A table that may scroll sideways on a phone: a named region keyboards can focus and scroll. */
function scroller(label, table) {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

function figuresTable(id, caption, rows, keys, names) {
  const heads = keys.map((k) => h('th', { scope: 'col' }, t(`dashboard.${k}`)));
  return scroller(caption, h('table', { id, class: 'figures' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, heads, FIGURES.map((f) => h('th', { scope: 'col' }, t(`dashboard.${f}`))))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      keys.map((k, i) => h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {},
        nameOf(k === 'district_code' ? names.districts : names.categories, row[k]))),
      FIGURES.map((f) => h('td', {}, cell(f, row[f]))))))));
}

function monthlyTable(rows) {
  return scroller(t('dashboard.monthly'), h('table', { id: 'dashboard-monthly', class: 'figures' },
    h('caption', {}, t('dashboard.monthly')),
    h('thead', {}, h('tr', {}, ['month', 'concerns', 'resolved', 'visits'].map((k) => h('th', { scope: 'col' }, t(`dashboard.${k}`))))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.month),
      h('td', {}, r.concerns), h('td', {}, r.resolved), h('td', {}, r.visits))))));
}

function cleanTidyTable(rows, names) {
  const village = (v) => {
    if (!v) return '–';
    const name = language() === 'en' && v.name_en ? v.name_en : v.name_th ?? '';
    return `${v.moo ? `${t('village.moo')} ${v.moo} ` : ''}${name} (${v.average_percent}%)`;
  };
  return scroller(t('dashboard.clean_tidy'), h('table', { id: 'dashboard-clean-tidy', class: 'figures' },
    h('caption', {}, t('dashboard.clean_tidy')),
    h('thead', {}, h('tr', {}, ['district_code', 'average_percent', 'inspections', 'best_village', 'worst_village']
      .map((k) => h('th', { scope: 'col' }, t(`dashboard.${k}`))))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, nameOf(names.districts, r.district_code)),
      h('td', {}, `${r.average_percent}%`), h('td', {}, r.inspections),
      h('td', {}, village(r.best_village)), h('td', {}, village(r.worst_village)))))));
}

function filterForm(ctx, query, names) {
  const input = (name, type) => h('input', { type, name, value: query.get(name) ?? '' });
  const select = (name, options) => h('select', { name },
    h('option', { value: '' }, t('dashboard.all')),
    Object.entries(options ?? {}).map(([code, n]) => h('option', { value: code, selected: query.get(name) === code }, n[language()] ?? n.th)));
  const form = h('form', { class: 'dashboard-filters', onsubmit: (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) params.set(k, v);
    ctx.navigate(`/app/dashboard${params.size ? `?${params}` : ''}`);
  } },
  field(t('dashboard.start'), input('start', 'date')), field(t('dashboard.end'), input('end', 'date')),
  field(t('dashboard.district_code'), select('district', names.districts)),
  field(t('dashboard.category_code'), select('category', names.categories)),
  h('button', { type: 'submit', class: 'primary' }, t('dashboard.apply')));
  return form;
}

function chartBox(id, label) {
  return h('div', { class: 'chart-box' }, h('canvas', { id, role: 'img', 'aria-label': label }));
}

async function drawCharts(root, data) {
  const charts = await import('./dashboard-charts.js');
  const words = (keys) => Object.fromEntries(keys.map((k) => [k, t(`dashboard.${k}`)]));
  charts.districtChart(root.querySelector('#chart-districts'), data.concerns.by_district,
    (code) => nameOf(data.names.districts, code), words(['received', 'resolved', 'overdue']));
  charts.monthlyChart(root.querySelector('#chart-monthly'), data.monthly, words(['concerns', 'resolved', 'visits']));
  root.dataset.charts = 'drawn';
}

export async function dashboardScreen(ctx) {
  if (!seesDashboard(ctx.session)) return h('p', { class: 'notice' }, t('dashboard.not_allowed'));
  const params = new URLSearchParams();
  for (const name of FILTERS) if (ctx.query.get(name)) params.set(name, ctx.query.get(name));
  let data;
  try {
    data = await apiFetch(`/api/reports/dashboard?${params}`);
  } catch (error) {
    return h('section', { class: 'dashboard' }, h('h1', {}, t('dashboard.title')),
      h('p', { class: 'notice warn', role: 'alert' }, navigator.onLine ? t('dashboard.failed') : t('dashboard.offline')));
  }
  const names = data.names;
  const root = h('section', { class: 'dashboard', 'aria-labelledby': 'dashboard-h' },
    h('h1', { id: 'dashboard-h' }, t('dashboard.title')),
    filterForm(ctx, ctx.query, names),
    h('h2', {}, t('dashboard.by_district')),
    chartBox('chart-districts', t('dashboard.by_district')),
    figuresTable('dashboard-districts', t('dashboard.by_district'), data.concerns.by_district, ['district_code'], names),
    figuresTable('dashboard-categories', t('dashboard.by_category'), data.concerns.by_category, ['category_code'], names),
    figuresTable('dashboard-both', t('dashboard.by_district_category'), data.concerns.by_district_category, ['district_code', 'category_code'], names),
    h('h2', {}, t('dashboard.monthly')),
    chartBox('chart-monthly', t('dashboard.monthly')),
    monthlyTable(data.monthly),
    cleanTidyTable(data.clean_tidy, names),
    h('p', { class: 'hint' }, t('dashboard.note', { today: data.today })));
  // Drawn once the canvases are in the page; the tables already carry every figure.
  requestAnimationFrame(() => { drawCharts(root, data).catch(() => { root.dataset.charts = 'failed'; }); });
  return root;
}
