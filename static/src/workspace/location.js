/**
 * Where a concern is: the coordinates, a link for the phone's own map app, the concerns
 * nearby as a list, and a small Leaflet map when the build names a tile server
 * (VITE_MAP_TILE_URL, the province's own: none by default, no tiles from the internet).
 */
import { apiFetch } from '../api.js';
import { formatDate, language, t } from '../i18n.js';
import { h, replace } from '../ui/dom.js';

// Read where the build can see it: without a tile server, Leaflet is not even part of the build.
export const TILE_URL = import.meta.env.VITE_MAP_TILE_URL || '';

/** "16.82140, 100.26590" and a geo: link (opens the phone's map app; nothing is fetched). */
export function coordinates(lat, lon) {
  return { text: `${lat.toFixed(5)}, ${lon.toFixed(5)}`, href: `geo:${lat.toFixed(6)},${lon.toFixed(6)}` };
}

async function drawMap(box, detail, nearby) {
  const [{ default: L }] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]);
  const map = L.map(box, { attributionControl: false }).setView([detail.lat, detail.lon], 16);
  L.tileLayer(TILE_URL, { maxZoom: 19 }).addTo(map);
  L.circleMarker([detail.lat, detail.lon], { radius: 9, color: '#b71c1c' }).addTo(map);
  for (const c of nearby) if (c.lat != null) L.circleMarker([c.lat, c.lon], { radius: 6, color: '#1b5e20' }).addTo(map);
}

async function nearbyList(detail, target, box) {
  let nearby = [];
  try {
    nearby = (await apiFetch(`/api/concerns/${detail.id}/nearby?radius_m=500`)).filter((c) => c.id !== detail.id);
  } catch {
    replace(target, h('p', { class: 'hint' }, t('location.nearby_offline')));
    return;
  }
  const name = (c) => (language() === 'en' && c.category_name_en) || c.category_name_th || c.category_code;
  replace(target, nearby.length ? h('ul', { class: 'nearby' }, nearby.map((c) => h('li', {},
    h('a', { href: `/app/queue/${c.id}`, 'data-link': true }, name(c), ' · ', c.summary),
    ' ', t('step.distance', { m: Math.round(c.distance_m ?? 0) }), ' · ', t(`status.${c.status}`), ' · ',
    formatDate(c.reported_at ?? c.created_at)))) : h('p', { class: 'empty' }, t('location.no_nearby')));
  if (import.meta.env.VITE_MAP_TILE_URL && box) drawMap(box, detail, nearby).catch(() => box.remove());
}

export function locationSection(detail) {
  if (detail.lat == null || detail.lon == null) {
    return h('section', { class: 'location', 'aria-label': t('location.title') }, h('h3', {}, t('location.title')),
      h('p', { class: 'hint' }, t('location.none')));
  }
  const { text, href } = coordinates(detail.lat, detail.lon);
  const box = import.meta.env.VITE_MAP_TILE_URL ? h('div', { class: 'map', role: 'img', 'aria-label': t('location.map') }) : null;
  const target = h('div', { 'aria-live': 'polite' }, h('p', { class: 'hint' }, t('location.loading')));
  nearbyList(detail, target, box);
  return h('section', { class: 'location', 'aria-label': t('location.title') }, h('h3', {}, t('location.title')),
    box, h('p', {}, text, ' ', h('a', { href, class: 'button secondary' }, t('location.open_map'))),
    h('h4', {}, t('location.nearby')), target);
}
