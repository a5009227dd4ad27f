/**
 * The service worker: the whole app shell precached (a new version installs completely before
 * it may take over), navigations answered from the cache, a Background Sync as an Android extra.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any in-app address opens the cached shell; the API and server pages never do.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), {
  denylist: [/^\/api\//, /^\/healthz/, /^\/admin/, /^\/public/, /^\/open311\//],
}));

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
