/**
 * Admin: create a person, or change one's name, role and districts, deactivate or re-activate
 * them, and reset their password (which signs out all their phones).
 */
import { apiFetch, HttpError, NetworkError } from '../api.js';
import { fieldMessages, t } from '../i18n.js';
import { field, h } from '../ui/dom.js';
import { gazetteer } from './gazetteer.js';
import { ROLES } from './admin-users.js';

/** The problem's per-field messages as one line each, in the chosen language. */
export function problemLines(error) {
  if (error instanceof NetworkError) return [t('admin.offline')];
  const problem = error instanceof HttpError ? error.problem : null;
  if (!problem?.errors) return [error.message];
  return Object.keys(problem.errors).map((name) => `${name}: ${fieldMessages(problem, name).join(' ')}`);
}

async function loadUser(id) {
  if (!id) return null;
  const users = await apiFetch('/api/admin/users');
  return users.find((u) => String(u.id) === String(id)) ?? null;
}

export async function userFormScreen(ctx, id) {
  let user;
  let places;
  try {
    [user, places] = await Promise.all([loadUser(id), gazetteer({ role: 'admin' })]);
  } catch (error) {
    return h('p', { class: 'notice warn', role: 'status' }, problemLines(error).join(' '));
  }
  const message = h('p', { class: 'form-message', role: 'alert' });
  const username = h('input', { type: 'text', name: 'username', required: true, autocomplete: 'off', value: user?.username ?? '', disabled: Boolean(user) });
  const name = h('input', { type: 'text', name: 'display_name', required: true, value: user?.display_name ?? '' });
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r, selected: (user?.role ?? 'official') === r }, t(`role.${r}`))));
  const districts = h('fieldset', { class: 'checks' }, h('legend', {}, t('admin.districts')),
    places.districts.map((d) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'district_codes', value: d.code, checked: (user?.district_codes ?? []).includes(d.code) }),
      `${d.name_th} (${d.name_en})`)));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 8 });
  const codes = () => [...districts.querySelectorAll('input:checked')].map((el) => el.value);
  const run = async (call, done) => {
    try {
      await call();
    } catch (error) {
      message.textContent = problemLines(error).join(' ');
      return;
    }
    ctx.flash(done);
    ctx.navigate('/app/admin/users');
  };
  const save = (e) => {
    e.preventDefault();
    const body = { display_name: name.value.trim(), role: role.value, district_codes: codes() };
    if (user) return run(() => apiFetch(`/api/admin/users/${user.id}`, { method: 'PATCH', body }), t('admin.saved'));
    return run(() => apiFetch('/api/admin/users', { method: 'POST', body: { ...body, username: username.value.trim(), password: password.value } }), t('admin.created'));
  };
  const extra = user ? h('section', { class: 'workflow', 'aria-label': t('admin.account') }, h('h2', {}, t('admin.account')),
    h('button', { type: 'button', class: user.active ? 'secondary danger' : 'secondary', onclick: () => run(
      () => apiFetch(`/api/admin/users/${user.id}`, { method: 'PATCH', body: { active: !user.active } }),
      user.active ? t('admin.deactivated') : t('admin.reactivated')) }, user.active ? t('admin.deactivate') : t('admin.reactivate')),
    h('form', { class: 'reset', onsubmit: (e) => {
      e.preventDefault();
      run(() => apiFetch(`/api/admin/users/${user.id}/reset-password`, { method: 'POST', body: { password: password.value } }), t('admin.password_reset'));
    } }, field(t('admin.new_password'), password, { hint: t('admin.reset_hint') }),
    h('button', { type: 'submit', class: 'secondary' }, t('admin.reset_password'))),
    h('a', { href: `/app/admin/devices?user=${user.id}`, 'data-link': true, class: 'button secondary' }, t('admin.devices'))) : null;
  return h('section', { class: 'admin' }, h('h1', {}, user ? user.display_name : t('admin.new_user')),
    h('form', { class: 'record-form', onsubmit: save, novalidate: true },
      field(t('admin.username'), username), field(t('admin.name'), name), field(t('admin.role'), role), districts,
      user ? null : field(t('admin.password'), password), message,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, user ? t('admin.save') : t('admin.create')),
        h('a', { href: '/app/admin/users', 'data-link': true, class: 'button secondary' }, t('step.cancel')))),
    extra);
}
