/**
 * The service worker: the whole app shell precached (a new version installs completely before
 * it may take over), navigations answered from the cache, a Background Sync as an Android extra.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any in-app address opens the cached shell; the API and server pages never do.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), {
  denylist: [/^\/api\//, /^\/healthz/, /^\/admin/, /^\/public/, /^\/open311\//],
}));

/**
 * Photos by SHA-256 never change under one address, so a thumbnail or display size seen once
 * (or prefetched after a sync, photos/remote.js) is answered from a bounded cache, offline too.
 * Everything else under /api always goes to the network.
 */
function photoCache(rendition, cacheName, maxEntries) {
  const pattern = new RegExp(`^/api/photos/[0-9a-f]{64}/${rendition}$`);
  registerRoute(({ url }) => url.origin === self.location.origin && pattern.test(url.pathname), new CacheFirst({
    cacheName,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries, maxAgeSeconds: 90 * 24 * 3600, purgeOnQuotaError: true }),
    ],
  }));
}
photoCache('thumb', 'fieldapp-photo-thumbs', 600);
photoCache('display', 'fieldapp-photo-display', 60);

self.addEventListener('message', (event) => {
  // The page asks for this only after the official accepted the update.
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});
clientsClaim();

/** Background Sync: an open window syncs everything (photos need its XMLHttpRequest). */
async function backgroundSync() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (windows.length) {
    windows.forEach((client) => client.postMessage({ type: 'sync' }));
    return;
  }
  const { syncNow } = await import('./sync/engine.js');
  const outcome = await syncNow({ withPhotos: false, reason: 'background' });
  // A failure makes the browser retry this Background Sync later.
  if (!outcome.ok) throw outcome.error;
}

self.addEventListener('sync', (event) => {
  if (event.tag === 'fieldapp-sync') event.waitUntil(backgroundSync());
});
