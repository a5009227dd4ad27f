/** A record's detail: its fields, photos (and which are still uploading), and a concern's timeline. */
import { formatDate, formatDateTime, localName, t } from '../i18n.js';
import { categories, template as templateById, timeline, village } from '../data/mirror.js';
import { editLock, mayEdit, recordView, shownState } from '../data/records.js';
import { waitingPhotoShas } from '../photos/store.js';
import { acknowledge, deleteDraft, getRecord } from '../data/store.js';
import { h } from './dom.js';
import { commentForm, localState } from './comment-form.js';
import { attentionBanner } from './form-common.js';
import { photoGallery } from './photo-gallery.js';
import { trackingCard } from './tracking-code.js';
import { transitionForm } from './transition-form.js';
import { wordSection } from './villager-word.js';
import { villageLabel } from './village-picker.js';
import { timelineList } from './timeline.js';
import { knownPeople, peopleIn, rememberPeople } from '../data/people.js';
import { apiFetch } from '../api.js';

function row(label, value) {
  if (value === null || value === undefined || value === '') return null;
  return [h('dt', {}, label), h('dd', {}, String(value))];
}

async function concernRows(view) {
  const category = (await categories()).find((c) => c.code === view.category_code);
  return [row(t('concern.category'), localName(category) || view.category_code),
    row(t('concern.description'), view.description), row(t('concern.urgency'), t(`urgency.${view.urgency}`)),
    row(t('concern.status'), view.status && t(`status.${view.status}`)), row(t('concern.agency'), view.assignee_agency),
    row(t('concern.due'), formatDate(view.due_date)), row(t('concern.resolution'), view.resolution_note),
    view.reporter_consent ? row(t('concern.reporter_name'), view.reporter_name) : null,
    view.reporter_consent ? row(t('concern.reporter_phone'), view.reporter_phone) : null];
}

async function inspectionRows(view) {
  const template = await templateById(view.template_id);
  const items = (template?.items ?? []).map((item) => row(localName(item, 'text'), view.scores?.[item.key]?.score ?? '-'));
  return [row(t('inspection.place_name'), view.place_name), row(t('inspection.place_type'), t(`place.${view.place_type}`)),
    row(t('inspection.when'), formatDateTime(view.inspected_at)), ...items,
    row(t('inspection.grade'), view.grade ? `${view.grade} (${view.total}/${view.max_total})` : null)];
}

function visitRows(view) {
  return [row(t('visit.when'), formatDateTime(view.visited_at)), row(t('visit.companions'), (view.companions ?? []).join(', ')),
    row(t('visit.topics'), (view.topics ?? []).map((k) => t(`topic.${k}`)).join(', ')),
    row(t('visit.villagers_met'), view.villagers_met), row(t('visit.notes'), view.notes)];
}

/**
 * Who is who in a concern's timeline: names this phone knows, refreshed from the server's
 * view of the concern when there is signal (a slow link does not hold the screen long).
 */
async function timelineNames(id) {
  if (navigator.onLine) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 3000);
    try {
      await rememberPeople(peopleIn(await apiFetch(`/api/concerns/${id}`, { signal: abort.signal })));
    } catch {
      // Offline, slow or not allowed: the names already known will do.
    } finally {
      clearTimeout(timer);
    }
  }
  return knownPeople();
}

/** The follow-up timeline of a concern, oldest first; this phone's unsent comments marked. */
async function timelineSection(ctx, view) {
  const [entries, names] = await Promise.all([timeline(view.id), timelineNames(view.id)]);
  return h('section', { class: 'timeline', 'aria-label': t('timeline.title') }, h('h2', {}, t('timeline.title')),
    timelineList(entries, { names, me: ctx.session.user, extra: (e) => localState(ctx, e) }));
}

export async function detailScreen(ctx, id) {
  const record = await getRecord(id);
  if (!record) return h('section', {}, h('p', { class: 'notice' }, t('detail.not_found')));
  const view = recordView(record);
  const state = shownState(record, await waitingPhotoShas());
  const rows = view.entity === 'concern' ? await concernRows(view)
    : view.entity === 'inspection' ? await inspectionRows(view) : visitRows(view);
  const actions = mayEdit(record, view, ctx.session.user)
    ? [h('a', { href: `/app/${record.entity}/${id}`, 'data-link': true, class: 'button' }, t('detail.edit'))] : [];
  // history (issue 13): a finished concern is read-only; say so instead of offering an edit
  const lock = record.server ? editLock(record.entity, view) : null;
  if (lock) actions.push(h('p', { class: 'notice', role: 'note' }, t(`code.${lock}`)));
  if (record.entity === 'visit' && record.queued) {
    actions.push(h('a', { href: `/app/concern/new?visit=${id}&village=${view.village_id}`, 'data-link': true, class: 'button secondary' }, t('detail.add_concern')),
      h('a', { href: `/app/surveys?visit=${id}&village=${view.village_id}`, 'data-link': true, class: 'button secondary' }, t('survey.add_during_visit')));
  }
  const refusedStep = record.attention?.kind === 'rejected' && record.attention.op === 'transition';
  if (record.attention?.kind === 'conflict' || refusedStep) {
    actions.push(h('button', { type: 'button', class: 'secondary', onclick: async () => { await acknowledge(id); ctx.rerender(); } }, t('detail.acknowledge')));
  }
  if (!record.queued) {
    actions.push(h('button', { type: 'button', class: 'link danger', onclick: async () => { await deleteDraft(id); ctx.navigate('/app/records?tab=draft'); } }, t('detail.delete_draft')));
  }
  return h('section', { class: 'detail' },
    h('h1', {}, t(`entity.${record.entity}`), ' · ', villageLabel(await village(view.village_id))),
    h('p', {}, h('span', { class: `badge state-${state}` }, t(`state.${state}`))),
    record.entity === 'concern' ? await trackingCard(view) : null,
    attentionBanner(record), h('dl', {}, rows.flat().filter(Boolean)), await photoGallery(view.photos, { missing: view.missing_photos }),
    record.entity === 'concern' ? await timelineSection(ctx, view) : null,
    record.entity === 'concern' ? commentForm(ctx, record) : null,
    record.entity === 'concern' ? transitionForm(ctx, record, view) : null,
    record.entity === 'concern' && record.server ? await wordSection(ctx, view) : null,
    h('div', { class: 'actions' }, actions));
}
