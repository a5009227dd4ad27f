/**
 * Photos of records this phone did not take: fetched from the server with the bearer token
 * (an <img src> cannot send it) and shown as object URLs. The service worker keeps thumbnails
 * and display sizes in bounded runtime caches (sw.js), so they show offline once seen or
 * prefetched.
 */
import { authHeaders } from '../api.js';
import { getDb } from '../data/db.js';
import { recordView } from '../data/records.js';

export const RENDITIONS = ['thumb', 'display'];
// Cache names shared with sw.js; cleared when someone signs out (the photos are personal data's neighbours).
export const PHOTO_CACHES = ['fieldapp-photo-thumbs', 'fieldapp-photo-display'];
// How many thumbnails one sync may fetch ahead for offline use.
export const PREFETCH_LIMIT = 120;

export function photoPath(sha256, rendition = 'thumb') {
  return `/api/photos/${sha256}/${rendition}`;
}

const urls = new Map();

/** An object URL of a photo's rendition, or null when neither the cache nor the server has it. */
export async function remotePhotoUrl(sha256, rendition = 'thumb') {
  const key = `${sha256}/${rendition}`;
  if (urls.has(key)) return urls.get(key);
  try {
    const response = await fetch(photoPath(sha256, rendition), { headers: authHeaders() });
    if (!response.ok) return null;
    const url = URL.createObjectURL(await response.blob());
    urls.set(key, url);
    return url;
  } catch {
    return null; // offline and not cached yet
  }
}

/**
 * The photos this phone should hold thumbnails of: records it has (the pull gives each role what
 * it may see, docs/architecture.md) that are open concerns or its own, whose photos it did not
 * take itself. Newest records first, at most `limit`.
 */
export function photosToPrefetch(records, localShas, limit = PREFETCH_LIMIT) {
  const open = (view) => view.entity !== 'concern' || !['closed', 'rejected', 'duplicate'].includes(view.status);
  const wanted = [];
  const seen = new Set(localShas);
  const views = records.map(recordView).filter(open)
    .sort((a, b) => String(b.updated_at ?? '').localeCompare(String(a.updated_at ?? '')));
  for (const view of views) {
    const missing = new Set(view.missing_photos ?? []);
    for (const photo of view.photos ?? []) {
      if (seen.has(photo.sha256) || missing.has(photo.sha256)) continue;
      seen.add(photo.sha256);
      wanted.push(photo.sha256);
      if (wanted.length >= limit) return wanted;
    }
  }
  return wanted;
}

/** After a sync: fetch the thumbnails this phone lacks, so they show offline (the SW keeps them). */
export async function prefetchThumbnails() {
  if (!globalThis.caches || navigator.onLine === false) return 0;
  const db = await getDb();
  const [records, local] = await Promise.all([db.getAll('records'), db.getAllKeys('photos')]);
  const cache = await caches.open(PHOTO_CACHES[0]);
  let fetched = 0;
  for (const sha256 of photosToPrefetch(records, local)) {
    if (await cache.match(photoPath(sha256))) continue;
    try {
      const response = await fetch(photoPath(sha256), { headers: authHeaders() });
      if (response.ok) fetched += 1;
    } catch {
      break; // the signal went: the next sync goes on
    }
  }
  return fetched;
}

/** Signing out: this account's server photos leave the phone's caches. */
export async function forgetRemotePhotos() {
  for (const url of urls.values()) URL.revokeObjectURL(url);
  urls.clear();
  if (globalThis.caches) await Promise.all(PHOTO_CACHES.map((name) => caches.delete(name)));
}
