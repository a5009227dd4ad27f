/**
 * The queue's export (issue 14): the concerns the queue lists under its current filters, every
 * page, as CSV, XLSX or GeoJSON from GET /api/exports/concerns, which reads the same filters
 * as the queue (fieldapp/followup/queue.py). Reporter names and phones only when asked, and
 * the choice is offered only to roles that may read them (the server refuses others with
 * export.personal_forbidden and writes the export to the audit log).
 */
import { authHeaders } from '../api.js';
import { t } from '../i18n.js';
import { FILTERS, OPEN_STATUSES } from '../data/queue-query.js';
import { field, h } from '../ui/dom.js';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'geojson'];
// Mirrors fieldapp/auth/access.py (SUPERVISE exports, SEE_PERSONAL_DATA adds reporter data) to
// offer only what the server would allow; the server decides again.
const EXPORT_ROLES = ['supervisor', 'admin'];
const PERSONAL_DATA_ROLES = ['supervisor', 'admin'];

export function mayExport(user) {
  return EXPORT_ROLES.includes(user?.role);
}

export function mayExportPersonalData(user) {
  return PERSONAL_DATA_ROLES.includes(user?.role);
}

/** The export's address for the queue's filters (its tab becomes the status filter). */
export function exportApiPath(filters, format = 'csv', personal = false) {
  const params = new URLSearchParams();
  const status = filters.status === 'open' ? OPEN_STATUSES.join(',') : filters.status;
  if (status) params.set('status', status);
  for (const name of FILTERS) if (filters[name]) params.set(name, String(filters[name]));
  params.set('format', format);
  if (personal) params.set('personal', 'true');
  return `/api/exports/concerns?${params}`;
}

async function download(path, format, status) {
  status.textContent = t('export.preparing');
  const response = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
  if (!response.ok) throw new Error(String(response.status));
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: `concerns.${format}`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  status.textContent = t('export.done');
}

export function queueExportForm(ctx, filters) {
  const format = h('select', { name: 'format' }, EXPORT_FORMATS.map((f) => h('option', { value: f }, t(`export.${f}`))));
  const personal = mayExportPersonalData(ctx.session.user)
    ? h('div', { class: 'field check' }, h('label', {}, h('input', { type: 'checkbox', name: 'personal', value: 'true' }), t('export.personal')))
    : null;
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'secondary' }, t('export.download'));
  const form = h('form', { class: 'export-form', 'aria-labelledby': 'export-title', onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    button.disabled = true;
    try {
      await download(exportApiPath(filters, data.get('format'), data.get('personal') === 'true'), data.get('format'), status);
    } catch {
      status.textContent = t('export.failed');
    }
    button.disabled = false;
  } },
  h('h2', { id: 'export-title' }, t('export.title')),
  h('p', { class: 'hint' }, t('export.hint')),
  field(t('export.format'), format), personal,
  h('div', { class: 'actions' }, button), status);
  return form;
}
