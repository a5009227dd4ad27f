/** What the three record forms share: loading, the attention banner, save and draft buttons. */
import { fieldMessages, refusal, t } from '../i18n.js';
import { recordView } from '../data/records.js';
import { getRecord, newId, saveRecord } from '../data/store.js';
import { h } from './dom.js';

// What the open form held when it was drawn again (the language switched): taken back once by
// the next loadForEdit at the same address, so nothing typed is lost.
let carried = null;

function here() {
  return window.location.pathname + window.location.search;
}

function takeCarried(entity) {
  const kept = carried;
  carried = null;
  return kept && kept.entity === entity && kept.path === here() ? kept : null;
}

/** The record being edited (a new id for a new one) and its current values. */
export async function loadForEdit(entity, id, defaults) {
  const record = id ? await getRecord(id) : null;
  const view = recordView(record);
  const kept = takeCarried(entity);
  const values = { ...defaults, ...(view ?? {}), ...(kept?.values ?? {}) };
  return { id: kept?.id ?? record?.id ?? newId(), record, values: { ...values, photos: [...(values.photos ?? [])] } };
}

// The form label of each field the server may name in a refusal (`entity.field` first).
export const FIELD_LABELS = {
  village_id: 'village.label', visited_at: 'visit.when', companions: 'visit.companions',
  topics: 'visit.topics', villagers_met: 'visit.villagers_met', notes: 'visit.notes',
  'inspection.notes': 'inspection.notes', place_type: 'inspection.place_type',
  place_name: 'inspection.place_name', inspected_at: 'inspection.when', scores: 'inspection.score',
  category_code: 'concern.category', description: 'concern.description', urgency: 'concern.urgency',
  reporter_consent: 'concern.consent', reporter_name: 'concern.reporter_name',
  reporter_phone: 'concern.reporter_phone', transition: 'transition.title', 'transition.note': 'transition.note',
  'transition.assignee_agency': 'concern.agency', 'transition.due_date': 'concern.due',
};

function fieldLabel(entity, path) {
  const key = FIELD_LABELS[`${entity}.${path}`] ?? FIELD_LABELS[path] ?? FIELD_LABELS[path.split('.')[0]];
  return key ? t(key) : path;
}

/** The refusal's messages for one field, in the chosen language (from their codes). */
function messages(entity, attention, path) {
  return fieldMessages(attention, path, (name) => fieldLabel(entity, name));
}

/**
 * Why the server refused or merged this record. A refusal lists every per-field message, so
 * one about a field the screen does not show (a refused step, a checklist item) is not lost.
 */
export function attentionBanner(record) {
  const attention = record?.attention;
  if (!attention) return null;
  if (attention.kind === 'rejected') {
    const paths = [...new Set([...Object.keys(attention.errors ?? {}), ...(attention.error_codes ?? []).map((c) => c.field)])];
    return h('div', { class: 'notice error', role: 'alert' },
      h('strong', {}, t('attention.rejected')), h('p', {}, refusal(attention.reason, attention.detail)),
      paths.length ? h('ul', { class: 'field-errors' }, paths.map((path) => h('li', { 'data-field': path },
        h('strong', {}, fieldLabel(record.entity, path)), ': ', messages(record.entity, attention, path).join(' ')))) : null,
      attention.detail ? h('p', { class: 'hint', lang: 'en' }, attention.detail) : null,
      h('p', { class: 'hint' }, t(attention.op === 'transition' ? 'attention.step_refused' : 'attention.fix_and_resend')));
  }
  return h('div', { class: 'notice warn', role: 'alert' }, h('strong', {}, t('attention.conflict')),
    h('ul', {}, (attention.conflicts ?? []).map((c) => h('li', {},
      t('attention.conflict_field', { field: c.field, kept: JSON.stringify(c.kept_value), lost: JSON.stringify(c.lost_value) })))));
}

/** The server's messages for one field of a rejected record, in the chosen language. */
export function fieldErrors(record, name) {
  const attention = record?.attention;
  const shown = attention?.kind === 'rejected' ? messages(record.entity, attention, name) : [];
  return shown.length ? shown : undefined;
}

/**
 * A form whose submit saves for sync and whose second button keeps a draft on the phone.
 * `keep` (default `collect`) gives everything typed so far, for the form to be drawn again
 * with it (ctx.keepInput, called before the language switches).
 */
export function recordForm({ ctx, entity, id, record, collect, validate, keep = collect }, ...children) {
  ctx.keepInput = () => { carried = { entity, id, path: here(), values: keep() }; };
  const message = h('p', { class: 'form-message', role: 'alert' });
  async function save(draft) {
    const values = collect();
    const problems = draft ? [] : validate(values);
    if (problems.length) {
      message.textContent = problems.join(' ');
      return;
    }
    await saveRecord(entity, id, values, { draft });
    ctx.flash(draft ? t('form.saved_draft') : t('form.saved'));
    if (!draft) ctx.requestSync('save');
    ctx.navigate(`/app/record/${id}`);
  }
  const canDraft = !record?.queued;
  return h('form', { class: 'record-form', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); save(false); } },
  attentionBanner(record), ...children, message,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, record?.attention?.kind === 'rejected' ? t('form.resend') : t('form.save')),
    canDraft ? h('button', { type: 'button', class: 'secondary', onclick: () => save(true) }, t('form.save_draft')) : null));
}

/** A group of checkboxes for a list value (topics). */
export function checkboxGroup(legend, options, selected, name) {
  return h('fieldset', { class: 'checks' }, h('legend', {}, legend),
    options.map(([value, label]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name, value, checked: selected.includes(value) }), label)));
}

/** The ticked values of a checkbox group. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);
}
