/**
 * Register the service worker and offer updates (workbox-window): a new version precaches its
 * whole shell while the old one keeps serving; it takes over only when the official says so.
 */
import { Workbox } from 'workbox-window';

/** Show `onUpdate(apply)` whenever a fully installed new version is waiting. */
export async function registerServiceWorker(onUpdate) {
  if (!('serviceWorker' in navigator)) return null;
  const workbox = new Workbox('/sw.js', { scope: '/' });
  // `waiting` also fires at start-up for a version that was already waiting.
  workbox.addEventListener('waiting', () => {
    onUpdate(() => {
      // Reload only when the official asked for the update, never by surprise.
      workbox.addEventListener('controlling', () => window.location.reload());
      workbox.messageSkipWaiting();
    });
  });
  return workbox.register();
}
