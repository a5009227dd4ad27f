/**
 * A concern's tracking code, shown large with a QR code for the villager to keep: it opens
 * the public case page. The QR is drawn on the phone (npm qrcode), so it works offline.
 */
import QRCode from 'qrcode';
import { t } from '../i18n.js';
import { h } from './dom.js';

/** The address a villager's phone opens from the QR code. */
export function caseUrl(code, origin = window.location.origin) {
  return `${origin}/public/case?code=${encodeURIComponent(code)}`;
}

export async function trackingCard(view) {
  if (!view.tracking_code) {
    return h('p', { class: 'tracking pending', id: 'tracking-code' }, t('tracking.pending'));
  }
  const svg = await QRCode.toString(caseUrl(view.tracking_code), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const qr = h('div', { class: 'qr', role: 'img', 'aria-label': t('tracking.qr', { code: view.tracking_code }) });
  qr.innerHTML = svg; // markup generated here from our own code, not from user input
  return h('section', { class: 'tracking', 'aria-labelledby': 'tracking-h' },
    h('h2', { id: 'tracking-h' }, t('tracking.title')),
    h('p', { class: 'code', id: 'tracking-code', lang: 'en' }, view.tracking_code),
    qr, h('p', { class: 'hint' }, t('tracking.hint')));
}
