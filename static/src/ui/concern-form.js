/** The concern form: ปัญหาความเดือดร้อนของประชาชน. Reporter details only with consent. */
import { localName, t } from '../i18n.js';
import { categories } from '../data/mirror.js';
import { field, h } from './dom.js';
import { fieldErrors, loadForEdit, recordForm } from './form-common.js';
import { gpsField } from './gps-field.js';
import { photoField } from './photo-field.js';
import { villagePicker } from './village-picker.js';
import { enumeration } from '../data/meta.js';
import { reportedLocked } from '../data/records.js';

export function validateConcern(values) {
  const problems = [];
  if (!values.village_id) problems.push(t('form.need_village'));
  if (!values.category_code) problems.push(t('concern.need_category'));
  if (!values.description?.trim()) problems.push(t('concern.need_description'));
  return problems;
}

/** Without consent, no personal data leaves the form. */
export function reporterFields(consent, name, phone) {
  return consent
    ? { reporter_consent: true, reporter_name: name.trim() || null, reporter_phone: phone.trim() || null }
    : { reporter_consent: false, reporter_name: null, reporter_phone: null };
}

export async function concernForm(ctx, id) {
  const { id: recordId, record, values } = await loadForEdit('concern', id, {
    village_id: ctx.query.get('village') || null, visit_id: ctx.query.get('visit') || null,
    category_code: '', description: '', urgency: 'normal', reported_at: new Date().toISOString(),
    reporter_consent: false, reporter_name: null, reporter_phone: null, lat: null, lon: null, gps_accuracy_m: null,
  });
  const cats = (await categories()).filter((c) => c.active !== false || c.code === values.category_code);
  const category = h('select', { name: 'category_code', required: true },
    h('option', { value: '' }, t('concern.choose_category')),
    cats.map((c) => h('option', { value: c.code, selected: c.code === values.category_code }, localName(c))));
  const description = h('textarea', { name: 'description', rows: 4, required: true }, values.description ?? '');
  const urgency = h('select', { name: 'urgency' },
    enumeration('urgencies').map((u) => h('option', { value: u, selected: u === values.urgency }, t(`urgency.${u}`))));
  const consent = h('input', { type: 'checkbox', name: 'reporter_consent', checked: Boolean(values.reporter_consent) });
  const name = h('input', { type: 'text', name: 'reporter_name', autocomplete: 'off', value: values.reporter_name ?? '' });
  const phone = h('input', { type: 'tel', name: 'reporter_phone', autocomplete: 'off', value: values.reporter_phone ?? '' });
  const reporter = h('div', { class: 'reporter' },
    field(t('concern.reporter_name'), name, { errors: fieldErrors(record, 'reporter_name') }),
    field(t('concern.reporter_phone'), phone, { errors: fieldErrors(record, 'reporter_phone') }));
  const showReporter = () => { reporter.hidden = !consent.checked; };
  consent.addEventListener('change', showReporter);
  showReporter();
  const collect = () => ({
    village_id: values.village_id, visit_id: values.visit_id, category_code: category.value,
    description: description.value, urgency: urgency.value, reported_at: values.reported_at,
    ...reporterFields(consent.checked, name.value, phone.value),
    lat: values.lat, lon: values.lon, gps_accuracy_m: values.gps_accuracy_m, photos: values.photos,
  });
  // history (issue 13): once accepted, what the citizen reported is shown, not edited
  const locked = reportedLocked('concern', values);
  let said = false; // the first locked group says why, once
  const reported = (...controls) => {
    if (!locked) return controls;
    const why = said ? [] : [h('legend', {}, t('lock.reported_legend')), h('p', { class: 'hint' }, t('lock.reported_hint'))];
    said = true;
    return h('fieldset', { class: 'reported-locked', disabled: true }, ...why, ...controls);
  };
  const form = recordForm({
    ctx, entity: 'concern', id: recordId, record, validate: validateConcern, collect,
    // Drawn again (the language switched): the reporter's details as typed, consent or not.
    // They stay in the page; only `collect` decides what is saved.
    keep: () => ({ ...collect(), reporter_consent: consent.checked, reporter_name: name.value, reporter_phone: phone.value }),
  },
  reported(await villagePicker(ctx.session, values, { errors: fieldErrors(record, 'village_id') }),
    field(t('concern.category'), category, { errors: fieldErrors(record, 'category_code') }),
    field(t('concern.description'), description, { errors: fieldErrors(record, 'description') })),
  field(t('concern.urgency'), urgency, { errors: fieldErrors(record, 'urgency') }),
  reported(gpsField(values)),
  photoField({ photos: values.photos, label: t('photo.add') }),
  reported(h('div', { class: 'field check' }, h('label', {}, consent, t('concern.consent'))), reporter));
  return h('section', {}, h('h1', {}, id ? t('concern.edit_title') : t('concern.new_title')), form);
}
