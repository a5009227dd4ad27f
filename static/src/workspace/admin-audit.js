/**
 * Admin: the tamper-evident audit log (docs/operations.md, The audit log), newest first,
 * filtered by action, who, kind of record, record id and dates, a page at a time, with the
 * chain's head to publish. Reads GET /api/audit; the filters live in the address.
 */
import { apiFetch, NetworkError } from '../api.js';
import { formatDateTime, t } from '../i18n.js';
import { field, h } from '../ui/dom.js';
import { adminTabs } from './admin-users.js';
import { problemLines } from './admin-user-form.js';

export const PER_PAGE = 50;
const FILTERS = ['action', 'actor', 'entity', 'record_id', 'from', 'to'];
// Suggestions only (any action may be typed): the actions docs/operations.md lists.
export const KNOWN_ACTIONS = ['auth.login_failed', 'auth.login_inactive', 'device.login', 'device.logout', 'device.revoke',
  'user.create', 'user.update', 'user.reset_password', 'concern.transition', 'concern.escalate', 'record.delete',
  'inspection.review', 'service_levels.update', 'quarantine.reapply', 'quarantine.dismiss', 'conflict.resolve',
  'export.personal_data', 'photo.publishable'];
export const KNOWN_ENTITIES = ['concern', 'visit', 'inspection', 'followup', 'user', 'device', 'quarantine', 'conflict',
  'photo', 'service_level'];
// Dates are the province's days (Asia/Bangkok, no daylight saving).
const PROVINCE_OFFSET = '+07:00';

function nextDay(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The GET /api/audit query for the screen's address: dates become the province's day bounds
 * (`to` inclusive), empty filters are left out. Pure.
 */
export function auditQuery(params) {
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = (params.get(name) ?? '').trim();
    if (!value) continue;
    if (name === 'from') query.set('from', `${value}T00:00:00${PROVINCE_OFFSET}`);
    else if (name === 'to') query.set('to', `${nextDay(value)}T00:00:00${PROVINCE_OFFSET}`);
    else query.set(name, value);
  }
  query.set('page', String(Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)));
  query.set('per_page', String(PER_PAGE));
  return query;
}

/** The screen's own address with some parameters changed. */
function here(params, changes) {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(name);
    else next.set(name, String(value));
  }
  const query = next.toString();
  return `/app/admin/audit${query ? `?${query}` : ''}`;
}

function filterForm(ctx, users) {
  const value = (name) => ctx.query.get(name) ?? '';
  const list = (id, items) => h('datalist', { id }, items.map((item) => h('option', { value: item })));
  const form = h('form', { class: 'queue-filters', role: 'search', 'aria-label': t('audit.filters'), novalidate: true,
    onsubmit: (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const from = data.get('from');
      const to = data.get('to');
      if (from && to && from > to) {
        message.textContent = t('audit.bad_dates');
        return;
      }
      const next = new URLSearchParams();
      for (const [name, item] of data) if (String(item).trim()) next.set(name, String(item).trim());
      ctx.navigate(here(next, {}));
    } });
  const message = h('p', { class: 'form-message', role: 'alert' });
  form.append(h('div', { class: 'filter-grid' },
    field(t('audit.action'), h('input', { type: 'text', name: 'action', list: 'audit-actions', value: value('action'), autocomplete: 'off',
      placeholder: t('audit.action_any') })),
    field(t('audit.actor'), h('select', { name: 'actor' }, h('option', { value: '' }, t('audit.actor_any')),
      users.map((u) => h('option', { value: u.id, selected: String(u.id) === value('actor') }, `${u.display_name} (${u.username})`)))),
    field(t('audit.entity'), h('select', { name: 'entity' }, h('option', { value: '' }, t('audit.entity_any')),
      KNOWN_ENTITIES.map((e) => h('option', { value: e, selected: e === value('entity') }, e)))),
    field(t('audit.record'), h('input', { type: 'text', name: 'record_id', value: value('record_id'), autocomplete: 'off' })),
    field(t('audit.from'), h('input', { type: 'date', name: 'from', value: value('from') })),
    field(t('audit.to'), h('input', { type: 'date', name: 'to', value: value('to') }))),
  list('audit-actions', KNOWN_ACTIONS), message,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('audit.apply')),
    h('a', { href: '/app/admin/audit', 'data-link': true, class: 'button secondary' }, t('audit.clear'))));
  return form;
}

function pager(params, answer) {
  const pages = Math.max(1, Math.ceil(answer.total / answer.per_page));
  return h('nav', { class: 'pager', 'aria-label': t('audit.pages') },
    answer.page > 1 ? h('a', { href: here(params, { page: answer.page - 1 }), 'data-link': true, class: 'button secondary', rel: 'prev' }, t('audit.prev')) : h('span'),
    h('span', { id: 'audit-count', role: 'status' }, t('audit.count', { total: answer.total, page: answer.page, pages })),
    answer.page < pages ? h('a', { href: here(params, { page: answer.page + 1 }), 'data-link': true, class: 'button secondary', rel: 'next' }, t('audit.next')) : h('span'));
}

function details(entry) {
  const pairs = Object.entries(entry.details ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!pairs.length) return '';
  return h('code', { class: 'audit-details' }, pairs.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · '));
}

function entryRow(entry, names) {
  const who = entry.actor_id ? (names.get(entry.actor_id) ?? `#${entry.actor_id}`) : t('audit.system');
  const record = [entry.entity, entry.record_id].filter(Boolean).join(' ');
  return h('tr', { 'data-position': entry.position },
    h('td', {}, String(entry.position)), h('td', {}, formatDateTime(entry.at)), h('td', {}, who),
    h('td', {}, h('strong', {}, entry.action)), h('td', { class: 'audit-record' }, record || '–'), h('td', {}, details(entry)),
    h('td', {}, h('code', { title: entry.hash, class: 'audit-hash' }, entry.hash.slice(0, 12))));
}

export async function auditScreen(ctx) {
  let answer;
  let users;
  try {
    [answer, users] = await Promise.all([apiFetch(`/api/audit?${auditQuery(ctx.query)}`), apiFetch('/api/admin/users')]);
  } catch (error) {
    if (error instanceof NetworkError) return h('p', { class: 'notice warn', role: 'status' }, t('audit.offline'));
    return h('section', { class: 'admin' }, h('h1', {}, t('audit.title')), adminTabs('/app/admin/audit'),
      h('p', { class: 'notice warn', role: 'alert' }, problemLines(error).join(' ')), filterForm(ctx, []));
  }
  const names = new Map(users.map((u) => [u.id, u.display_name]));
  const columns = ['audit.position', 'audit.when', 'audit.who', 'audit.what', 'audit.which', 'audit.details', 'audit.hash'];
  return h('section', { class: 'admin audit' }, h('h1', {}, t('audit.title')), adminTabs('/app/admin/audit'),
    h('div', { class: 'notice audit-head', id: 'audit-head' }, h('p', {}, t('audit.head')),
      h('p', {}, h('strong', {}, t('audit.head_at', { position: answer.head.position })), ' ', h('code', {}, answer.head.hash))),
    filterForm(ctx, users),
    answer.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'people audit-log' },
      h('caption', { class: 'visually-hidden' }, t('audit.title')),
      h('thead', {}, h('tr', {}, columns.map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, answer.items.map((entry) => entryRow(entry, names))))) : h('p', { class: 'empty' }, t('audit.empty')),
    pager(ctx.query, answer));
}
