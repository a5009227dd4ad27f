/**
 * A record's photos as thumbnails that open the display size: this phone's own photos from
 * IndexedDB (marked while their upload waits), everyone else's from the server (cached by the
 * service worker for offline use).
 */
import { t } from '../i18n.js';
import { getPhoto } from '../photos/store.js';
import { remotePhotoUrl } from '../photos/remote.js';
import { h } from './dom.js';

/** Where a photo of a record stands on this phone: 'waiting' (ours, not uploaded), 'local' or 'remote'. */
export function photoState(local, missingOnServer) {
  if (local && (!local.uploaded || missingOnServer)) return 'waiting';
  if (local?.thumb || local?.blob) return 'local';
  return missingOnServer ? 'missing' : 'remote';
}

function openLarge(photo, label) {
  const image = h('img', { alt: label, class: 'large' });
  const close = h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, t('photo.close'));
  const dialog = h('dialog', { class: 'photo-dialog', 'aria-label': label }, image, h('div', { class: 'actions' }, close));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  const local = photo.local?.blob ?? photo.local?.thumb;
  if (local) image.src = URL.createObjectURL(local);
  remotePhotoUrl(photo.sha256, 'display').then((url) => {
    if (url) image.src = url;
    else if (!local) image.replaceWith(h('p', { class: 'hint' }, t('photo.unavailable')));
  });
  close.focus();
}

async function thumbnail(photo, index) {
  const local = await getPhoto(photo.sha256);
  const state = photoState(local, photo.missing);
  const blob = local?.thumb ?? local?.blob;
  const url = blob ? URL.createObjectURL(blob) : state === 'remote' ? await remotePhotoUrl(photo.sha256, 'thumb') : null;
  const label = t(photo.role === 'after' ? 'photo.after_n' : 'photo.before_n', { n: index + 1 });
  const picture = url ? h('img', { src: url, alt: '', width: 96, height: 72 })
    : h('span', { class: 'no-thumb' }, t(state === 'missing' ? 'photo.not_arrived' : 'photo.offline'));
  return h('li', { 'data-sha256': photo.sha256, 'data-state': state },
    h('button', { type: 'button', class: 'thumb', 'aria-label': t('photo.open', { name: label }),
      disabled: !url && !blob, onclick: () => openLarge({ ...photo, local }, label) }, picture),
    state === 'waiting' ? h('span', { class: 'badge state-pending' }, t('photo.uploading')) : null,
    state === 'missing' ? h('span', { class: 'badge state-pending' }, t('photo.not_arrived')) : null);
}

/** Before and after photos in two lists; nothing when there are none. */
export async function photoGallery(photos, { missing = [] } = {}) {
  const gone = new Set(missing);
  const withState = (photos ?? []).map((p) => ({ ...p, missing: gone.has(p.sha256) || p.present === false }));
  const groups = [];
  for (const role of ['before', 'after']) {
    const mine = withState.filter((p) => (p.role ?? 'before') === role);
    if (!mine.length) continue;
    groups.push(h('figure', { class: 'photo-group' },
      h('figcaption', {}, t(role === 'after' ? 'photo.after' : 'photo.before')),
      h('ul', { class: 'photos' }, await Promise.all(mine.map(thumbnail)))));
  }
  return groups.length ? h('div', { class: 'gallery' }, groups) : null;
}
