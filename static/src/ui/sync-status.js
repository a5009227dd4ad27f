/** The one-line sync status shown on the home screen. */
import { t } from '../i18n.js';

/** Text for a sync event ("start", "done", "error") and its detail. */
export function syncMessage(type, detail = {}) {
  if (type === 'start') return t('sync.running');
  if (type === 'done') {
    const { pushed, uploads, pulled } = detail.result ?? {};
    const parts = [t('sync.done', { sent: pushed?.confirmed ?? 0, photos: uploads?.uploaded ?? 0, received: (pulled?.created ?? 0) + (pulled?.updated ?? 0) })];
    if (pushed?.rejected) parts.push(t('sync.rejected', { n: pushed.rejected }));
    if (pushed?.conflict) parts.push(t('sync.conflicts', { n: pushed.conflict }));
    if (uploads?.refused?.length) parts.push(t('sync.photos_refused', { n: uploads.refused.length }));
    return parts.join(' ');
  }
  if (detail.retryAt) return t('sync.offline_retry');
  return t('sync.failed', { message: detail.error?.message ?? '' });
}
