/** Admin: the phones signed in, with when each was last seen; revoking one signs it out at once. */
import { apiFetch, NetworkError } from '../api.js';
import { formatDateTime, t } from '../i18n.js';
import { h } from '../ui/dom.js';
import { adminTabs } from './admin-users.js';
import { problemLines } from './admin-user-form.js';

export async function devicesScreen(ctx) {
  const user = ctx.query.get('user');
  let devices;
  try {
    devices = await apiFetch(`/api/admin/devices${user ? `?user=${encodeURIComponent(user)}` : ''}`);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return h('p', { class: 'notice warn', role: 'status' }, t('admin.offline'));
  }
  const message = h('p', { class: 'form-message', role: 'alert' });
  const revoke = async (device) => {
    try {
      await apiFetch(`/api/admin/devices/${device.id}/revoke`, { method: 'POST' });
    } catch (error) {
      message.textContent = problemLines(error).join(' ');
      return;
    }
    ctx.flash(t('admin.revoked', { name: device.name }));
    ctx.rerender();
  };
  return h('section', { class: 'admin' }, h('h1', {}, t('admin.devices')), adminTabs('/app/admin/devices'), message,
    h('div', { class: 'table-wrap' }, h('table', { class: 'people' },
      h('caption', { class: 'visually-hidden' }, t('admin.devices')),
      h('thead', {}, h('tr', {}, ['admin.device', 'admin.name', 'admin.signed_in', 'admin.last_seen', 'admin.state']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, devices.map((d) => h('tr', { class: d.revoked_at ? 'inactive' : null },
        h('td', {}, d.name || '–'), h('td', {}, d.user?.display_name ?? ''), h('td', {}, formatDateTime(d.created_at)),
        h('td', {}, formatDateTime(d.last_seen_at) || '–'),
        h('td', {}, d.revoked_at ? t('admin.revoked_at', { when: formatDateTime(d.revoked_at) })
          : h('button', { type: 'button', class: 'secondary danger', 'aria-label': t('admin.revoke_named', { name: d.name || d.id }),
            onclick: () => revoke(d) }, t('admin.revoke')))))))));
}
