/**
 * Which of a concern's photos the public page shows (issue 14): one switch per photo, for the
 * supervisors of its district and admins (the server says so: `may_publish_photos`, decided by
 * fieldapp/auth/visibility.py). A switch sends PUT /api/concerns/{id}/photos/{sha256}/publishable
 * at once (audited); online only. The public page shows a resolved concern's before and after
 * photos that are switched on.
 */
import { apiFetch } from '../api.js';
import { t } from '../i18n.js';
import { remotePhotoUrl } from '../photos/remote.js';
import { h } from '../ui/dom.js';

function photoLabel(photo, index) {
  return t(photo.role === 'after' ? 'photo.after_n' : 'photo.before_n', { n: index + 1 });
}

/** One photo a line, in the gallery's order (before, then after); a photo named twice once. */
export function publishablePhotos(photos, shown) {
  const seen = new Set();
  const out = [];
  for (const role of ['before', 'after']) {
    let index = 0;
    for (const p of photos ?? []) {
      if ((p.role ?? 'before') !== role || seen.has(p.sha256)) continue;
      seen.add(p.sha256);
      out.push({ sha256: p.sha256, role, label: photoLabel(p, index), on: shown.has(p.sha256), present: p.present !== false });
      index += 1;
    }
  }
  return out;
}

function photoSwitch(concernId, photo, status) {
  const box = h('input', { type: 'checkbox', checked: photo.on, disabled: !photo.present, 'aria-describedby': 'public-photos-hint' });
  const thumb = h('img', { alt: '', width: 64, height: 48 });
  if (photo.present) remotePhotoUrl(photo.sha256, 'thumb').then((url) => { if (url) thumb.src = url; });
  box.addEventListener('change', async () => {
    const wanted = box.checked;
    box.disabled = true;
    status.textContent = t('publish.saving');
    try {
      await apiFetch(`/api/concerns/${concernId}/photos/${photo.sha256}/publishable`, { method: 'PUT', body: { publishable: wanted } });
      status.textContent = t(wanted ? 'publish.shown' : 'publish.withdrawn', { name: photo.label });
    } catch {
      box.checked = !wanted;
      status.textContent = t('publish.failed');
    }
    box.disabled = false;
  });
  return h('li', { 'data-sha256': photo.sha256 },
    h('label', { class: 'check publish-switch' }, box, thumb, t('publish.show_photo', { name: photo.label })));
}

/** The section, or nothing when there is no photo or the user may not publish. */
export function publicPhotosSection(detail) {
  if (!detail.may_publish_photos) return null;
  const photos = publishablePhotos(detail.photos, new Set(detail.public_photos ?? []));
  if (!photos.length) return null;
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  return h('section', { class: 'public-photos', 'aria-labelledby': `public-photos-${detail.id}` },
    h('h3', { id: `public-photos-${detail.id}` }, t('publish.title')),
    h('p', { class: 'hint', id: 'public-photos-hint' }, t('publish.hint')),
    h('ul', { class: 'plain' }, photos.map((photo) => photoSwitch(detail.id, photo, status))),
    status);
}
