/**
 * Surveys: the forms given to this user (pulled, kept offline) to start one from, and this
 * phone's surveys by status — drafts, waiting to be sent, sent (docs/pwa.md, Surveys).
 * The survey engine is not loaded here: it comes with the form screen.
 */
import { formatDateTime, language, t } from '../i18n.js';
import { formVersions, offeredForms } from '../data/forms.js';
import { villages } from '../data/mirror.js';
import { recordView, shownState } from '../data/records.js';
import { listRecords } from '../data/store.js';
import { waitingPhotoShas } from '../photos/store.js';
import { h } from './dom.js';
import { villageLabel } from './village-picker.js';

export const SURVEY_TABS = ['pending', 'sent', 'draft'];

/** A survey's status in the list: a draft, pending (not all on the server yet) or sent. */
export function surveyStatus(record, waiting = new Set()) {
  const state = shownState(record, waiting);
  if (state === 'draft') return 'draft';
  return state === 'synced' ? 'sent' : 'pending';
}

/** A pulled form version's title in the chosen language. */
export function formTitle(form) {
  if (!form) return '';
  return (language() === 'en' && form.title_en) || form.title_th || form.form_key;
}

function surveyRow(record, form, village, status) {
  const view = recordView(record);
  return h('li', {}, h('a', { href: `/app/survey/${record.id}`, 'data-link': true, class: 'row' },
    h('span', { class: 'row-head' }, h('strong', {}, formTitle(form) || t('entity.survey'))),
    h('span', { class: 'row-meta' }, villageLabel(village), ' · ', formatDateTime(view.filled_at)),
    h('span', { class: 'row-badges' }, h('span', { class: `badge survey-${status}` }, t(`survey.status_${status}`)),
      record.state === 'attention' ? h('span', { class: 'badge state-attention' }, t('state.attention')) : null)));
}

export async function surveysScreen(ctx) {
  const [versions, records, allVillages, waiting] = await Promise.all([
    formVersions(), listRecords('survey'), villages(null), waitingPhotoShas()]);
  const forms = new Map(versions.map((f) => [String(f.id), f]));
  const villageById = new Map(allVillages.map((v) => [v.id, v]));
  const tab = SURVEY_TABS.includes(ctx.query.get('tab')) ? ctx.query.get('tab') : 'pending';
  const byStatus = Object.fromEntries(SURVEY_TABS.map((s) => [s, []]));
  // Mine: made on this phone, or by me (a supervisor's phone also pulls the district's surveys).
  const me = ctx.session.user?.id;
  const mine = records.filter((r) => !r.server || r.server.provisional || (r.server.created_by_id ?? r.server.created_by) === me);
  for (const record of mine) byStatus[surveyStatus(record, waiting)].push(record);
  // Started from a visit: the survey belongs to it and to its village.
  const during = new URLSearchParams();
  for (const name of ['visit', 'village']) if (ctx.query.get(name)) during.set(name, ctx.query.get(name));
  const offered = offeredForms(versions);
  const role = ctx.session.user?.role;
  const shown = byStatus[tab].map((r) => ({ r, view: recordView(r) }))
    .sort((a, b) => String(b.view.filled_at).localeCompare(String(a.view.filled_at)));
  return h('section', { class: 'surveys' },
    h('h1', {}, t('survey.title')),
    h('h2', {}, t('survey.forms')),
    offered.length ? h('ul', { class: 'big-actions form-list' }, offered.map((form) => h('li', {},
      h('a', { href: `/app/survey/new?form=${form.id}${during.size ? `&${during}` : ''}`, 'data-link': true, class: 'button' }, formTitle(form)),
      role === 'supervisor' || role === 'admin'
        ? h('a', { href: `/app/surveys/results/${form.form_key}`, 'data-link': true, class: 'button secondary' },
          t('survey.results_of', { title: formTitle(form) })) : null)))
      : h('p', { class: 'notice warn', role: 'status' }, t('survey.no_forms')),
    role === 'admin' ? h('p', {}, h('a', { href: '/app/admin/forms', 'data-link': true, class: 'button secondary' }, t('forms.title'))) : null,
    h('h2', {}, t('survey.mine')),
    h('nav', { class: 'tabs fit', 'aria-label': t('survey.tabs') }, SURVEY_TABS.map((s) => h('a', {
      href: `/app/surveys?tab=${s}`, 'data-link': true, 'aria-current': s === tab ? 'page' : null,
    }, `${t(`survey.status_${s}`)} (${byStatus[s].length})`))),
    shown.length ? h('ul', { class: 'record-list', id: 'survey-list' }, shown.map(({ r, view }) => surveyRow(r,
      forms.get(String(view.form_id)), villageById.get(view.village_id), surveyStatus(r, waiting))))
      : h('p', { class: 'empty' }, t('survey.none')));
}
