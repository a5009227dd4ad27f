/** Admin: the people of the province, searchable by name, role and whether they are active. */
import { apiFetch, NetworkError } from '../api.js';
import { formatDateTime, t } from '../i18n.js';
import { field, h } from '../ui/dom.js';

export const ROLES = ['official', 'supervisor', 'admin'];

export function adminTabs(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('admin.tabs') },
    [['/app/admin/users', 'admin.users'], ['/app/admin/devices', 'admin.devices'], ['/app/admin/forms', 'forms.title'], ['/app/admin/audit', 'nav.audit']].map(([href, key]) => h('a', {
      href, 'data-link': true, 'aria-current': href === current ? 'page' : null }, t(key))));
}

export async function usersScreen(ctx) {
  const query = new URLSearchParams();
  for (const name of ['q', 'role', 'active']) if (ctx.query.get(name)) query.set(name, ctx.query.get(name));
  let users;
  try {
    users = await apiFetch(`/api/admin/users?${query}`);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return h('p', { class: 'notice warn', role: 'status' }, t('admin.offline'));
  }
  const form = h('form', { class: 'queue-filters', role: 'search', 'aria-label': t('queue.filters'), onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) next.set(name, value);
    ctx.navigate(`/app/admin/users${next.toString() ? `?${next}` : ''}`);
  } },
  h('div', { class: 'filter-grid' },
    field(t('queue.search'), h('input', { type: 'search', name: 'q', value: ctx.query.get('q') ?? '' })),
    field(t('admin.role'), h('select', { name: 'role' }, h('option', { value: '' }, t('queue.any')),
      ROLES.map((r) => h('option', { value: r, selected: ctx.query.get('role') === r }, t(`role.${r}`))))),
    field(t('admin.active'), h('select', { name: 'active' }, h('option', { value: '' }, t('queue.any')),
      h('option', { value: 'true', selected: ctx.query.get('active') === 'true' }, t('admin.is_active')),
      h('option', { value: 'false', selected: ctx.query.get('active') === 'false' }, t('admin.is_inactive'))))),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('queue.apply'))));
  return h('section', { class: 'admin' }, h('h1', {}, t('admin.users')), adminTabs('/app/admin/users'),
    h('p', {}, h('a', { href: '/app/admin/users/new', 'data-link': true, class: 'button primary' }, t('admin.new_user'))),
    form,
    h('div', { class: 'table-wrap' }, h('table', { class: 'people' },
      h('caption', { class: 'visually-hidden' }, t('admin.users')),
      h('thead', {}, h('tr', {}, ['admin.name', 'admin.role', 'admin.districts', 'admin.active', 'admin.devices', 'admin.last_seen']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, users.map((u) => h('tr', { class: u.active ? null : 'inactive' },
        h('td', {}, h('a', { href: `/app/admin/users/${u.id}`, 'data-link': true }, u.display_name), h('br'), h('span', { class: 'hint' }, u.username)),
        h('td', {}, t(`role.${u.role}`)), h('td', {}, (u.district_codes ?? []).join(', ') || t('admin.province')),
        h('td', {}, u.active ? t('admin.is_active') : t('admin.is_inactive')),
        h('td', {}, h('a', { href: `/app/admin/devices?user=${u.id}`, 'data-link': true }, String(u.device_count ?? 0))),
        h('td', {}, formatDateTime(u.last_seen_at) || '–')))))));
}
