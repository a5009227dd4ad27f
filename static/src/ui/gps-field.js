/** Optional GPS position with its accuracy; every form works without it. */
import { t } from '../i18n.js';
import { h } from './dom.js';

/** Ask the phone for its position once (a weak fix is still recorded with its accuracy). */
export function currentPosition() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('unsupported'));
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lon: pos.coords.longitude, gps_accuracy_m: Math.round(pos.coords.accuracy) }),
      reject,
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
}

/** A "record location" control bound to `values` (lat, lon, gps_accuracy_m). */
export function gpsField(values) {
  const text = h('p', { class: 'hint', role: 'status' });
  const describe = () => {
    text.textContent = values.lat != null
      ? t('gps.position', { lat: values.lat.toFixed(5), lon: values.lon.toFixed(5), acc: values.gps_accuracy_m ?? '?' })
      : t('gps.none');
  };
  const take = h('button', { type: 'button', class: 'secondary', 'aria-label': t('gps.take') }, t('gps.take'));
  take.addEventListener('click', async () => {
    text.textContent = t('gps.waiting');
    try {
      Object.assign(values, await currentPosition());
    } catch {
      text.textContent = t('gps.failed');
      return;
    }
    describe();
  });
  const clear = h('button', { type: 'button', class: 'link', 'aria-label': t('gps.clear'),
    onclick: () => { Object.assign(values, { lat: null, lon: null, gps_accuracy_m: null }); describe(); } }, t('gps.clear'));
  describe();
  return h('fieldset', { class: 'gps' }, h('legend', {}, t('gps.legend')), take, clear, text);
}
