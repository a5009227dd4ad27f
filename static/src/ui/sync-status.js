/** The one-line sync status shown on the home screen. */
import { AuthError, NetworkError } from '../api.js';
import { t } from '../i18n.js';

/**
 * Text for a sync event ("start", "done", "error") and its detail, in the language chosen
 * now. No signal is a normal state, never a failure; a server hiccup is retried by itself.
 */
export function syncMessage(type, detail = {}) {
  if (type === 'start') return t('sync.running');
  if (type === 'done') {
    const { pushed, uploads, pulled } = detail.result ?? {};
    const parts = [t('sync.done', { sent: pushed?.confirmed ?? 0, photos: uploads?.uploaded ?? 0, received: (pulled?.created ?? 0) + (pulled?.updated ?? 0) })];
    if (pushed?.rejected) parts.push(t('sync.rejected', { n: pushed.rejected }));
    if (pushed?.conflict) parts.push(t('sync.conflicts', { n: pushed.conflict }));
    if (uploads?.retry?.length) parts.push(t('sync.photos_retry', { n: uploads.retry.length }));
    if (uploads?.refused?.length) parts.push(t('sync.photos_refused', { n: uploads.refused.length }));
    return parts.join(' ');
  }
  const error = detail.error;
  if (error instanceof NetworkError || error?.name === 'NetworkError') {
    return globalThis.navigator?.onLine === false ? t('sync.offline') : t('sync.offline_retry');
  }
  if (error instanceof AuthError) return t('login.expired');
  if (error?.status >= 500 || detail.retryAt) return t('sync.server_retry');
  return t('sync.failed_plain');
}
