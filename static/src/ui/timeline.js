/**
 * A concern's follow-up timeline, oldest first: when, who, what (a status change, an
 * assignment naming to whom, by when and at what priority), and the note. Used by the
 * official's detail (pulled entries) and the supervisor's (the server's detail).
 */
import { formatDate, formatDateTime, t } from '../i18n.js';
import { h } from './dom.js';

/** Who made an entry: the server's actor, a name this phone knows, or "me". */
export function actorName(entry, names = {}, me = null) {
  const id = entry.actor?.id ?? entry.created_by_id ?? entry.created_by ?? null;
  if (entry.actor?.display_name) return entry.actor.display_name;
  if (entry.local || (me && id === me.id)) return me?.display_name ?? t('timeline.me');
  return (id && names[id]) || t('timeline.someone');
}

/** To whom, by when and at what priority an assignment was made (empty parts left out). */
export function assignmentText(data = {}, names = {}) {
  const parts = [];
  const assignee = data.assignee?.display_name ?? (data.assignee_id ? names[data.assignee_id] : null);
  if (assignee) parts.push(t('timeline.to', { name: assignee }));
  else if ('assignee_id' in data && data.assignee_id === null) parts.push(t('timeline.unassigned'));
  if (data.assignee_agency) parts.push(t('timeline.agency', { agency: data.assignee_agency }));
  if (data.due_date) parts.push(t('timeline.due', { date: formatDate(data.due_date) }));
  if (data.priority) parts.push(t('timeline.priority', { n: data.priority }));
  return parts.join(' · ');
}

/** What an entry says happened, in the chosen language. */
export function entryText(entry, names = {}) {
  // villager (issue 13): the villager's word on a fix; "not fixed" reopened the concern.
  if (entry.data?.action === 'confirm_fix') {
    return entry.data.answer === 'fixed' ? t('timeline.villager_fixed')
      : t('timeline.villager_not_fixed', { to: t(`status.${entry.to_status}`) });
  }
  if (entry.kind === 'status' && entry.from_status && entry.to_status) {
    return t('timeline.status', { from: t(`status.${entry.from_status}`), to: t(`status.${entry.to_status}`) });
  }
  if (entry.kind === 'assignment') {
    const detail = assignmentText(entry.data ?? {}, names);
    return detail ? `${t('timeline.assignment')}: ${detail}` : t('timeline.assignment');
  }
  if (entry.kind === 'escalation') return t('timeline.escalation', { level: entry.data?.level ?? 1 });
  if (entry.kind === 'correction') {
    return t('timeline.correction', { fields: (entry.data?.fields ?? []).map(fieldName).join(', ') });
  }
  const key = `timeline.${entry.kind}`;
  const text = t(key);
  return text === key ? entry.kind : text;
}

/**
 * The timeline list; `extra(entry)` may add a node to an entry (this phone's waiting or refused
 * comment).
 */
export function timelineList(entries, { names = {}, me = null, extra = () => null } = {}) {
  if (!entries.length) return h('p', { class: 'empty' }, t('timeline.empty'));
  return h('ul', { class: 'timeline-list' }, entries.map((e) => h('li', { 'data-kind': e.kind, 'data-local': e.local ?? null },
    h('p', { class: 'when-who' }, h('time', { datetime: e.created_at }, formatDateTime(e.created_at)), ' · ',
      h('span', { class: 'actor' }, actorName(e, names, me))),
    h('p', { class: 'what' }, entryText(e, names), ' ', extra(e)),
    e.body ? h('p', { class: 'note' }, e.body) : null,
    e.data?.override_reason ? h('p', { class: 'note override' }, t('timeline.override', { reason: e.data.override_reason })) : null)));
}

// --- history (issue 13) ---
const FIELD_NAMES = {
  description: 'concern.description', category_code: 'concern.category', village_id: 'village.label',
  lat: 'history.field_lat', lon: 'history.field_lon', gps_accuracy_m: 'history.field_gps_accuracy_m',
  reporter_name: 'concern.reporter_name', reporter_phone: 'concern.reporter_phone',
  reporter_consent: 'concern.consent', reported_at: 'concern.reported_at', urgency: 'concern.urgency',
  status: 'concern.status', assignee_id: 'concern.assignee', assignee_agency: 'concern.agency',
  due_date: 'concern.due', priority: 'concern.priority', resolution_note: 'concern.resolution',
  escalation_level: 'concern.escalation', deleted: 'history.field_deleted',
};

/** A field's name in the chosen language (its own name when there is none). */
export function fieldName(name) {
  const key = FIELD_NAMES[name];
  return key ? t(key) : name;
}
// --- end history ---
