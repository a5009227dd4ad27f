/**
 * A form's results for supervisors and admins (issue 16): the submissions with filters, their
 * points (on the map when the build names a tile server, else as coordinates) and the CSV and
 * XLSX exports with the same filters. Online only (docs/pwa.md, Surveys).
 */
import { apiFetch, authHeaders, HttpError, NetworkError } from '../api.js';
import { formatDateTime, language, t } from '../i18n.js';
import { h, uid } from '../ui/dom.js';
import { gazetteer } from './gazetteer.js';
import { coordinates, TILE_URL } from './location.js';

const FILTERS = ['district', 'village', 'from', 'to'];
export const PER_PAGE = 25;

/** The API query of the filters in the address (page included; exports leave the page out). */
export function resultsQuery(formKey, params, { page = true } = {}) {
  const query = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) query.set(name, params.get(name));
  if (page) {
    query.set('page', String(Math.max(1, Number(params.get('page')) || 1)));
    query.set('per_page', String(PER_PAGE));
  }
  return query;
}

/** An export downloaded with the bearer token (a plain link would go without it). */
async function download(path, filename, message) {
  message.textContent = t('submissions.downloading');
  try {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) throw new HttpError(response.status, await response.json().catch(() => null));
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    message.textContent = '';
  } catch (error) {
    message.textContent = error instanceof HttpError ? error.message : t('admin.offline');
  }
}

async function drawMap(box, points) {
  const [{ default: L }] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]);
  const map = L.map(box, { attributionControl: false });
  L.tileLayer(TILE_URL, { maxZoom: 19 }).addTo(map);
  const markers = points.map((p) => L.circleMarker([p.lat, p.lon], { radius: 7, color: '#b71c1c' }).addTo(map));
  map.fitBounds(L.featureGroup(markers).getBounds(), { maxZoom: 16, padding: [20, 20] });
}

function pointsSection(items) {
  const points = items.filter((i) => i.lat != null && i.lon != null);
  if (!points.length) return h('p', { class: 'empty' }, t('submissions.no_points'));
  // Read where the build can see it: without a tile server, Leaflet is not even in the build.
  const box = import.meta.env.VITE_MAP_TILE_URL ? h('div', { class: 'map', role: 'img', 'aria-label': t('submissions.map', { n: points.length }) }) : null;
  if (import.meta.env.VITE_MAP_TILE_URL && box) requestAnimationFrame(() => drawMap(box, points).catch(() => box.remove()));
  return h('div', {}, box, h('ul', { class: 'nearby survey-points' }, points.map((p) => {
    const c = coordinates(p.lat, p.lon);
    return h('li', {}, h('a', { href: c.href }, c.text), ' · ', formatDateTime(p.filled_at));
  })));
}

function villageName(village) {
  if (!village) return '';
  if (typeof village === 'string') return village;
  return (language() === 'en' && village.name_en) || village.name_th || '';
}

function filtersForm(ctx, formKey, places) {
  const select = (name, label, options) => {
    const el = h('select', { name, id: uid('rf') }, h('option', { value: '' }, t('queue.any')),
      options.map(([value, text]) => h('option', { value, selected: ctx.query.get(name) === value }, text)));
    return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  };
  const date = (name, label) => {
    const el = h('input', { type: 'date', name, id: uid('rf'), value: ctx.query.get(name) ?? '' });
    return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  };
  const form = h('form', { class: 'queue-filters', role: 'search', 'aria-label': t('queue.filters') },
    h('div', { class: 'filter-grid' },
      select('district', t('queue.district'), places.districts.map((d) => [d.code, language() === 'en' ? d.name_en : d.name_th])),
      select('village', t('village.label'), places.villages.map((v) => [v.id, `${t('village.moo')} ${v.moo} ${v.name_th}`])),
      date('from', t('submissions.from')), date('to', t('submissions.to'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('queue.apply'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) next.set(name, value);
    ctx.navigate(`/app/surveys/results/${formKey}${next.size ? `?${next}` : ''}`);
  });
  return form;
}

export async function surveyResultsScreen(ctx, formKey) {
  let answer;
  let places;
  try {
    [answer, places] = await Promise.all([
      apiFetch(`/api/forms/${encodeURIComponent(formKey)}/submissions?${resultsQuery(formKey, ctx.query)}`),
      gazetteer(ctx.session.user)]);
  } catch (error) {
    if (error instanceof NetworkError) return h('p', { class: 'notice warn', role: 'status' }, t('submissions.offline'));
    throw error;
  }
  const columns = answer.columns ?? [];
  const items = answer.items ?? [];
  const page = Number(ctx.query.get('page')) || 1;
  const message = h('p', { class: 'hint', role: 'status' });
  const exportQuery = resultsQuery(formKey, ctx.query, { page: false });
  const exportButton = (ext) => h('button', { type: 'button', class: 'secondary',
    onclick: () => download(`/api/exports/surveys/${encodeURIComponent(formKey)}.${ext}${exportQuery.size ? `?${exportQuery}` : ''}`, `${formKey}.${ext}`, message) },
  t(`submissions.export_${ext}`));
  const pageLink = (n, key) => {
    const next = new URLSearchParams(ctx.query);
    next.set('page', String(n));
    return h('a', { href: `/app/surveys/results/${formKey}?${next}`, 'data-link': true, class: 'button secondary' }, t(key));
  };
  const label = (c) => (language() === 'en' && c.label_en) || c.label_th || c.name;
  return h('section', { class: 'survey-results' },
    h('h1', {}, t('submissions.title', { key: formKey })),
    filtersForm(ctx, formKey, places),
    h('p', { role: 'status', id: 'results-total' }, t('submissions.total', { n: answer.total ?? items.length })),
    h('div', { class: 'actions' }, exportButton('csv'), exportButton('xlsx')), message,
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('submissions.table') },
      h('table', { class: 'figures', id: 'submissions' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('submissions.filled_at')), h('th', { scope: 'col' }, t('village.label')),
          h('th', { scope: 'col' }, t('submissions.by')), h('th', { scope: 'col' }, t('submissions.version')),
          columns.map((c) => h('th', { scope: 'col' }, label(c))))),
        h('tbody', {}, items.map((item) => h('tr', { 'data-id': item.id },
          h('td', {}, formatDateTime(item.filled_at)), h('td', {}, villageName(item.village)),
          h('td', {}, typeof item.created_by === 'object' ? item.created_by?.display_name ?? '' : item.created_by ?? ''),
          h('td', {}, item.form_version ?? ''),
          columns.map((c) => h('td', {}, String(item.answers_labelled?.[c.name] ?? '')))))))),
    h('nav', { class: 'actions', 'aria-label': t('submissions.pages') },
      page > 1 ? pageLink(page - 1, 'results.previous') : null,
      page * PER_PAGE < (answer.total ?? 0) ? pageLink(page + 1, 'results.next') : null),
    h('h2', {}, t('submissions.points')), pointsSection(items));
}
