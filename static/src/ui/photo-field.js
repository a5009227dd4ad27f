/** Photos of a record (or of one checklist item): camera or gallery, resized on the phone. */
import { t } from '../i18n.js';
import { getPhoto, keepPhoto } from '../photos/store.js';
import { resizeImage } from '../photos/resize.js';
import { captureOf } from '../photos/provenance.js';
import { h, replace, uid } from './dom.js';

/** Object URL of a photo's thumbnail (or its full bytes), or null if the phone has neither. */
export async function photoUrl(sha256) {
  const photo = await getPhoto(sha256);
  const blob = photo?.thumb ?? photo?.blob;
  return blob ? URL.createObjectURL(blob) : null;
}

/**
 * A photo picker bound to `photos` (the record's list, mutated in place, filtered by
 * `itemKey`); `onChange` is called after every addition or removal.
 */
export function photoField({ photos, itemKey = '', role = 'before', label, onChange }) {
  const list = h('ul', { class: 'photos', 'aria-live': 'polite' });
  const status = h('p', { class: 'hint', role: 'status' });
  const inputId = uid('photo');
  const mine = () => photos.filter((p) => (p.item_key ?? '') === itemKey);

  async function draw() {
    const items = await Promise.all(mine().map(async (photo) => {
      const url = await photoUrl(photo.sha256);
      return h('li', { 'data-sha256': photo.sha256 },
        url ? h('img', { src: url, alt: t('photo.alt'), width: 96, height: 72 }) : h('span', {}, t('photo.on_server')),
        h('button', { type: 'button', class: 'link', 'aria-label': t('photo.remove'),
          onclick: () => { photos.splice(photos.indexOf(photo), 1); draw(); onChange?.(); } }, '✕'));
    }));
    replace(list, items);
  }

  async function add(files) {
    for (const file of files) {
      status.textContent = t('photo.resizing');
      try {
        const started = performance.now();
        // The original's EXIF is read before resizing drops it (docs/sync-protocol.md).
        const [resized, capture] = await Promise.all([resizeImage(file), captureOf(file)]);
        // User Timing: how long resizing takes on this phone (read by bench/pwa_bench.py).
        performance.measure('fieldapp-photo-resize', { start: started });
        await keepPhoto(resized);
        if (!photos.some((p) => p.sha256 === resized.sha256 && (p.item_key ?? '') === itemKey)) {
          photos.push({ sha256: resized.sha256, caption: '', position: mine().length, item_key: itemKey, role, ...capture });
        }
        status.textContent = t('photo.added');
      } catch {
        status.textContent = t('photo.failed');
      }
    }
    await draw();
    onChange?.();
  }

  const input = h('input', { id: inputId, type: 'file', accept: 'image/*', multiple: true, class: 'visually-hidden',
    'data-item-key': itemKey, onchange: (e) => { add([...e.target.files]); e.target.value = ''; } });
  draw();
  return h('div', { class: 'photo-field' },
    h('label', { for: inputId, class: 'button secondary' }, label ?? t('photo.add')), input, status, list);
}
