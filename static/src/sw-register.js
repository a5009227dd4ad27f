/**
 * Register the service worker and offer updates: a new version precaches its whole shell
 * while the old one keeps serving; it takes over only when the official says so.
 */
let accepted = false;

/** Show `onUpdate(apply)` whenever a fully installed new version is waiting. */
export async function registerServiceWorker(onUpdate) {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const offer = () => {
    const waiting = registration.waiting;
    if (waiting && navigator.serviceWorker.controller) {
      onUpdate(() => {
        accepted = true;
        waiting.postMessage({ type: 'SKIP_WAITING' });
      });
    }
  };
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offer();
    });
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Reload only when the official asked for the update, never by surprise.
    if (accepted) window.location.reload();
  });
  offer();
  return registration;
}
