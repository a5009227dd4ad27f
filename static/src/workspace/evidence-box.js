/**
 * The evidence checks of a resolved concern's after-photos (docs/evidence.md), as the
 * supervisor reads them before closing: each check passed, failed, unknown or pending, with
 * its figures (minutes, metres, the matching photo and its concern).
 */
import { apiFetch } from '../api.js';
import { formatDateTime, t } from '../i18n.js';
import { h } from '../ui/dom.js';

export const CHECKS = ['time', 'distance', 'reuse', 'phash'];

/** The server's checks, or null when there are none to show or no signal to ask. */
export async function loadEvidence(id) {
  try {
    const evidence = await apiFetch(`/api/concerns/${id}/evidence`);
    return evidence.photos.length ? evidence : null;
  } catch {
    return null;
  }
}

function concernLink(id) {
  return h('a', { href: `/app/queue/${id}`, 'data-link': true }, t('evidence.concern_n', { id: id.slice(0, 8) }));
}

/** The figure a check's result rests on, in words (a node or text). */
export function checkFigure(name, check, photo) {
  const { result } = check;
  if (result === 'pending') return t('evidence.pending');
  if (name === 'time') {
    if (check.minutes === null) return t('evidence.no_time');
    const text = t(check.minutes >= 0 ? 'evidence.minutes_after' : 'evidence.minutes_before', { n: Math.abs(check.minutes) });
    return photo.taken_at ? `${text} (${formatDateTime(photo.taken_at)})` : text;
  }
  if (name === 'distance') {
    if (check.metres === null) return t('evidence.no_place');
    const text = t('evidence.metres', { n: check.metres, limit: check.limit_metres });
    return photo.position_source === 'device' ? `${text} · ${t('evidence.from_phone')}` : text;
  }
  if (name === 'reuse') {
    if (result !== 'failed') return t('evidence.not_reused');
    return check.concern_id ? [t('evidence.reused_on'), ' ', concernLink(check.concern_id)] : t('evidence.reused_elsewhere');
  }
  if (result === 'unknown') return t('evidence.no_hash');
  if (result !== 'failed') return t('evidence.not_alike');
  const bits = t('evidence.bits', { n: check.bits });
  if (check.kind === 'before_photo') return `${t('evidence.like_before')} (${bits})`;
  return check.concern_id
    ? [t('evidence.like_concern'), ' ', concernLink(check.concern_id), ` (${bits})`]
    : `${t('evidence.like_photo', { sha: (check.sha256 ?? '').slice(0, 8) })} (${bits})`;
}

/** The box: one list of four checks per after-photo, and what closing will need. */
export function evidenceBox(evidence) {
  if (!evidence) return null;
  return h('section', { class: 'evidence', 'aria-label': t('evidence.title'), 'data-result': evidence.result },
    h('h3', {}, t('evidence.title'), ' ', h('span', { class: `badge evidence-${evidence.result}` }, t(`evidence.result.${evidence.result}`))),
    evidence.photos.map((photo, index) => h('div', { class: 'evidence-photo', 'data-sha256': photo.sha256 },
      h('h4', {}, t('photo.after_n', { n: index + 1 })),
      h('ul', { class: 'evidence-checks' }, CHECKS.map((name) => h('li', { 'data-check': name, 'data-result': photo.checks[name].result },
        h('strong', {}, t(`evidence.check.${name}`)), ' ',
        h('span', { class: `badge evidence-${photo.checks[name].result}` }, t(`evidence.result.${photo.checks[name].result}`)), ' ',
        h('span', { class: 'figure' }, checkFigure(name, photo.checks[name], photo))))))),
    evidence.open_checks.length ? h('p', { class: 'notice warn' }, t('evidence.override_needed')) : null);
}
