/**
 * Admin: survey forms (issue 16). Upload an XLSForm (.xlsx); a refused form shows every
 * problem by sheet, row and column in the chosen language; forms with their versions, given
 * to roles and districts, public or not, retired or not. Online only (docs/pwa.md, Surveys).
 */
import { apiFetch, authHeaders, HttpError, NetworkError } from '../api.js';
import { formatDateTime, language, t } from '../i18n.js';
import { h, uid } from '../ui/dom.js';
import { adminTabs, ROLES } from './admin-users.js';
import { problemLines } from './admin-user-form.js';
import { gazetteer } from './gazetteer.js';

/** POST the file as multipart; the answer's problems (422) come back as an HttpError. */
export async function uploadForm(file) {
  const body = new FormData();
  body.append('file', file, file.name);
  let response;
  try {
    response = await fetch('/api/admin/forms', { method: 'POST', headers: { Accept: 'application/json', ...authHeaders() }, body });
  } catch (error) {
    throw new NetworkError(error?.message || 'network error');
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, data);
  return data;
}

/** A refused form's problems as table rows: where (sheet, row, column) and what, in this language. */
export function importProblems(problem) {
  return (problem?.errors ?? []).filter((e) => e && typeof e === 'object' && 'sheet' in e).map((e) => ({
    sheet: e.sheet ?? '', row: e.row ?? '', column: e.column ?? '',
    message: (language() === 'en' ? e.message_en : e.message_th) || e.message_th || e.message_en || e.code,
  }));
}

function problemsTable(rows) {
  return h('div', { class: 'notice error', role: 'alert', id: 'form-problems' },
    h('p', {}, h('strong', {}, t('forms.refused', { n: rows.length }))),
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('forms.problems') }, h('table', {},
      h('thead', {}, h('tr', {}, ['forms.sheet', 'forms.row', 'forms.column', 'forms.problem'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, r.sheet), h('td', {}, String(r.row)), h('td', {}, r.column), h('td', {}, r.message)))))));
}

function uploadSection(ctx) {
  const input = h('input', { type: 'file', name: 'file', id: uid('xlsx'), required: true,
    accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = async (event) => {
    event.preventDefault();
    if (!input.files?.length) return;
    result.replaceChildren(h('p', { class: 'hint', role: 'status' }, t('forms.uploading')));
    try {
      const created = await uploadForm(input.files[0]);
      ctx.flash(t('forms.uploaded', { key: created?.form_key ?? '', version: created?.version ?? '' }));
      ctx.rerender();
    } catch (error) {
      const rows = error instanceof HttpError ? importProblems(error.problem) : [];
      result.replaceChildren(rows.length ? problemsTable(rows) : h('p', { class: 'notice error', role: 'alert' }, problemLines(error).join(' ')));
    }
  };
  return h('form', { class: 'record-form', onsubmit: submit, 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, t('forms.upload_title')),
    h('div', { class: 'field' }, h('label', { for: input.id }, t('forms.file')), input, h('p', { class: 'hint' }, t('forms.file_hint'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('forms.upload'))), result);
}

function checks(legend, name, options, selected) {
  return h('fieldset', { class: 'checks' }, h('legend', {}, legend), options.map(([value, label]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value, checked: selected.includes(value) }), label)));
}

function formCard(ctx, form, districts) {
  const title = (language() === 'en' && form.title_en) || form.title_th || form.form_key;
  const message = h('p', { class: 'form-message', role: 'alert' });
  const settings = h('form', { class: 'form-settings', 'aria-label': t('forms.settings_of', { title }) },
    checks(t('forms.roles'), 'roles', ROLES.map((r) => [r, t(`role.${r}`)]), form.roles ?? []),
    checks(t('forms.districts'), 'district_codes', districts.map((d) => [d.code, language() === 'en' ? d.name_en : d.name_th]), form.district_codes ?? []),
    checks(t('forms.options'), 'flags', [['public', t('forms.public')], ['retired', t('forms.retired')]],
      [form.public ? 'public' : null, form.retired ? 'retired' : null].filter(Boolean)),
    h('p', { class: 'hint' }, t('forms.given_hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('forms.save'))), message);
  settings.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ticked = (name) => [...settings.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);
    const flags = ticked('flags');
    try {
      await apiFetch(`/api/admin/forms/${encodeURIComponent(form.form_key)}`, { method: 'PATCH',
        body: { roles: ticked('roles'), district_codes: ticked('district_codes'), public: flags.includes('public'), retired: flags.includes('retired') } });
    } catch (error) {
      message.textContent = problemLines(error).join(' ');
      return;
    }
    ctx.flash(t('forms.saved', { title }));
    ctx.rerender();
  });
  return h('article', { class: 'form-card', 'data-form-key': form.form_key },
    h('h2', {}, title, form.retired ? h('span', { class: 'badge' }, ` ${t('forms.retired')}`) : null),
    h('p', { class: 'hint' }, form.form_key),
    h('div', { class: 'table-wrap' }, h('table', {}, h('caption', {}, t('forms.versions')),
      h('thead', {}, h('tr', {}, ['forms.version', 'forms.created', 'forms.submissions'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, (form.versions ?? []).map((v) => h('tr', {}, h('td', {}, v.version), h('td', {}, formatDateTime(v.created_at)), h('td', {}, String(v.submissions ?? 0))))))),
    h('p', {}, h('a', { href: `/app/surveys/results/${form.form_key}`, 'data-link': true }, t('survey.results_of', { title }))),
    settings);
}

export async function formsScreen(ctx) {
  let forms;
  let places;
  try {
    [forms, places] = await Promise.all([apiFetch('/api/admin/forms'), gazetteer({ role: 'admin' })]);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return h('p', { class: 'notice warn', role: 'status' }, t('admin.offline'));
  }
  return h('section', { class: 'admin-forms' }, h('h1', {}, t('forms.title')), adminTabs('/app/admin/forms'),
    uploadSection(ctx),
    h('h2', {}, t('forms.list')),
    forms.length ? forms.map((form) => formCard(ctx, form, places.districts)) : h('p', { class: 'empty' }, t('forms.none')));
}
