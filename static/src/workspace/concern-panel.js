/**
 * A concern's detail for those who act on it: status, overdue, what and where, photos before
 * and after, the location and nearby concerns, the reporter (only when the server sends it),
 * the timeline naming who did what, and every workflow step the server would accept now.
 */
import { apiFetch, NetworkError } from '../api.js';
import { formatDate, formatDateTime, language, t } from '../i18n.js';
import { peopleIn, rememberPeople } from '../data/people.js';
import { recordView } from '../data/records.js';
import { getRecord, queuedSteps } from '../data/store.js';
import { timeline } from '../data/mirror.js';
import { h } from '../ui/dom.js';
import { photoGallery } from '../ui/photo-gallery.js';
import { timelineList } from '../ui/timeline.js';
import { locationSection } from './location.js';
import { evidenceBox, loadEvidence } from './evidence-box.js';
import { publicPhotosSection } from './public-photos.js';
import { pendingStepsNotice, workflowControls } from './workflow-controls.js';
import { historySection, loadHistory } from './record-history.js';

// The last answer for each concern opened: a step made offline is drawn from it.
const lastSeen = new Map();

/** The server's detail, or (offline) the last one seen or the phone's pulled copy. */
async function loadDetail(id) {
  try {
    const detail = await apiFetch(`/api/concerns/${id}`);
    lastSeen.set(id, detail);
    await rememberPeople(peopleIn(detail));
    return { detail, offline: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    if (lastSeen.has(id)) return { detail: lastSeen.get(id), offline: true };
    const record = await getRecord(id);
    if (!record) return { detail: null, offline: true };
    const view = recordView(record);
    return { detail: { ...view, timeline: await timeline(id), allowed_actions: [], may_edit: false }, offline: true };
  }
}

function row(label, value) {
  if (value === null || value === undefined || value === '') return null;
  return [h('dt', {}, label), h('dd', {}, value)];
}

function categoryName(detail) {
  return (language() === 'en' && detail.category_name_en) || detail.category_name_th || detail.category_code;
}

function facts(detail) {
  const village = detail.village;
  const place = village ? `${t('village.moo')} ${village.moo} ${language() === 'en' && village.name_en ? village.name_en : village.name_th}` : '';
  const hasReporter = 'reporter_name' in detail || 'reporter_phone' in detail;
  return h('dl', {}, [
    row(t('concern.category'), categoryName(detail)), row(t('village.label'), place),
    row(t('concern.description'), detail.description),
    row(t('concern.original_description'), detail.original_description), row(t('concern.urgency'), detail.urgency && t(`urgency.${detail.urgency}`)),
    row(t('concern.priority'), detail.priority ? t('priority.n', { n: detail.priority }) : null),
    row(t('concern.assignee'), detail.assignee?.display_name ?? null), row(t('concern.agency'), detail.assignee_agency),
    row(t('concern.due'), formatDate(detail.due_date)), row(t('concern.reported_at'), formatDateTime(detail.reported_at)),
    row(t('concern.reported_by'), detail.created_by?.display_name ?? null),
    row(t('concern.resolution'), detail.resolution_note),
    row(t('word.title'), detail.villager_confirmed === true ? t('word.confirmed') : null),
    row(t('concern.escalation'), detail.escalation_level ? t('concern.escalation_level', { n: detail.escalation_level }) : null),
    hasReporter ? row(t('concern.reporter_name'), detail.reporter_name || t('concern.no_reporter')) : null,
    hasReporter ? row(t('concern.reporter_phone'), detail.reporter_phone) : null,
  ].flat().filter(Boolean));
}

export async function concernPanel(ctx, id) {
  const { detail, offline } = await loadDetail(id);
  if (!detail) return h('p', { class: 'notice warn', role: 'status' }, t('concern.not_here'));
  const [steps, local, evidence] = await Promise.all([queuedSteps(id), getRecord(id), offline ? null : loadEvidence(id)]);
  detail.evidence = evidence; // closing over a failed or pending check asks for a reason
  const names = Object.fromEntries(peopleIn(detail).map((p) => [p.id, p.display_name]));
  const controls = steps.length ? pendingStepsNotice(ctx, steps) : workflowControls(ctx, detail);
  const history = offline ? null : await loadHistory('concern', id, ctx.session.user);
  return h('article', { class: 'concern-panel', 'aria-labelledby': `concern-${id}` },
    h('h2', { id: `concern-${id}`, class: 'panel-title' }, categoryName(detail), ' · ', detail.summary ?? (detail.description ?? '').slice(0, 60)),
    h('p', { class: 'row-badges' },
      h('span', { class: `badge status-${detail.status}` }, t(`status.${detail.status}`)),
      detail.overdue ? h('span', { class: 'badge overdue' }, t('overdue.badge')) : null,
      detail.may_edit && local ? h('a', { href: `/app/concern/${id}`, 'data-link': true, class: 'button secondary' }, t('detail.edit')) : null),
    offline ? h('p', { class: 'notice warn', role: 'status' }, t('concern.offline_copy')) : null,
    facts(detail),
    evidenceBox(evidence),
    controls,
    await photoGallery(detail.photos, { missing: detail.missing_photos }),
    offline ? null : publicPhotosSection(detail),
    locationSection(detail),
    h('section', { class: 'timeline', 'aria-label': t('timeline.title') }, h('h3', {}, t('timeline.title')),
      timelineList(detail.timeline ?? [], { names, me: ctx.session.user })),
    historySection(history));
}
