/**
 * A record's history for supervisors (issue 13): every change the server applied, newest
 * first — which field, before → after, who, when, and the reason of a correction — from
 * `GET /api/records/<entity>/<id>/history` (docs/sync-protocol.md, Record history).
 */
import { apiFetch } from '../api.js';
import { formatDateTime, t } from '../i18n.js';
import { h } from '../ui/dom.js';
import { fieldName } from '../ui/timeline.js';

/** The entries, or null when they cannot be had (offline, or not this user's to see). */
export async function loadHistory(entity, id, user) {
  if (!user || !['supervisor', 'admin'].includes(user.role)) return null;
  try {
    return (await apiFetch(`/api/records/${entity}/${id}/history`)).items;
  } catch {
    return null; // offline or refused: the timeline still shows the steps
  }
}

function shown(value) {
  if (value === null || value === undefined || value === '') return t('history.empty_value');
  if (typeof value === 'boolean') return t(value ? 'history.yes' : 'history.no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function changeItem(change) {
  const label = fieldName(change.field);
  if (change.withheld) return h('li', {}, h('strong', {}, label), ': ', t('history.withheld'));
  return h('li', {}, h('strong', {}, label), ': ',
    h('del', {}, shown(change.before)), ' → ', h('ins', {}, shown(change.after)));
}

function what(entry) {
  if (entry.op === 'create') return t('history.created');
  if (entry.op === 'delete') return t('history.deleted');
  if (entry.action) {
    const key = `step.${entry.action}`;
    const text = t(key);
    return text === key ? entry.action : text;
  }
  return t(`history.op_${entry.status === 'applied' ? 'update' : entry.status}`);
}

/** The "changes" section; nothing when there is no history to show. */
export function historySection(items) {
  if (!items) return null;
  const entries = [...items].reverse();
  return h('section', { class: 'record-history', 'aria-label': t('history.title') }, h('h3', {}, t('history.title')),
    entries.length ? h('ul', { class: 'history-list' }, entries.map((entry) => h('li', { 'data-action': entry.action ?? entry.op },
      h('p', { class: 'when-who' }, h('time', { datetime: entry.at }, formatDateTime(entry.at)), ' · ',
        h('span', { class: 'actor' }, entry.user?.display_name ?? t('history.server')), ' · ', what(entry)),
      entry.op === 'create' ? null : h('ul', { class: 'history-fields' }, entry.changes.map(changeItem)),
      entry.action === 'correct' && entry.reason ? h('p', { class: 'note' }, t('history.reason', { reason: entry.reason })) : null)))
      : h('p', { class: 'empty' }, t('history.none')));
}
