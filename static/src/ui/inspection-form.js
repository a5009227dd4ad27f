/** The Clean & Tidy inspection form, driven by the checklist template. */
import { localName, t } from '../i18n.js';
import { scoreInspection } from '../data/grade.js';
import { latestTemplate, template as templateById } from '../data/mirror.js';
import { field, fromLocalInput, h, toLocalInput } from './dom.js';
import { checkboxGroup, fieldErrors, loadForEdit, recordForm } from './form-common.js';
import { gpsField } from './gps-field.js';
import { photoField } from './photo-field.js';
import { villagePicker } from './village-picker.js';
import { enumeration } from '../data/meta.js';

export function validateInspection(values) {
  const problems = [];
  if (!values.village_id) problems.push(t('form.need_village'));
  if (!values.place_name?.trim()) problems.push(t('inspection.need_place'));
  if (!values.template_id) problems.push(t('inspection.no_template'));
  return problems;
}

/** One checklist item: its score, an optional note and an optional photo. */
function itemRow(item, scores, photos, onChange) {
  const current = scores[item.key] ?? {};
  const score = h('select', { name: `score-${item.key}`, 'data-item': item.key },
    h('option', { value: '' }, t('inspection.not_scored')),
    Array.from({ length: item.max_score + 1 }, (_, n) => h('option', { value: n, selected: current.score === n }, String(n))));
  const note = h('input', { type: 'text', name: `note-${item.key}`, value: current.note ?? '' });
  const update = () => {
    scores[item.key] = { score: score.value === '' ? null : Number(score.value), note: note.value };
    onChange();
  };
  score.addEventListener('change', update);
  note.addEventListener('input', update);
  return h('fieldset', { class: 'checklist-item' }, h('legend', {}, localName(item, 'text')),
    field(t('inspection.score', { max: item.max_score }), score),
    field(t('inspection.item_note'), note),
    photoField({ photos, itemKey: item.key, label: t('inspection.item_photo') }));
}

export async function inspectionForm(ctx, id) {
  const { id: recordId, record, values } = await loadForEdit('inspection', id, {
    village_id: ctx.query.get('village') || null, place_type: 'household', place_name: '',
    inspected_at: new Date().toISOString(), template_id: null, scores: {}, followup_needed: false,
    reinspection_of_id: ctx.query.get('reinspect') || null, notes: '', lat: null, lon: null, gps_accuracy_m: null,
  });
  const template = values.template_id ? await templateById(values.template_id) : await latestTemplate();
  if (!template) return h('section', {}, h('div', { class: 'notice warn', role: 'alert' }, t('inspection.no_template')));
  values.template_id = template.id;
  const scores = structuredClone(values.scores ?? {});
  const totalText = h('p', { class: 'total', role: 'status', 'aria-live': 'polite' });
  const showTotal = () => {
    const result = scoreInspection(template, scores);
    totalText.textContent = t('inspection.total', { total: result.total, max: result.maxTotal,
      grade: result.grade ? `${result.grade.grade} ${localName(result.grade, 'label')}` : '-' });
  };
  const placeType = h('select', { name: 'place_type' },
    enumeration('place_types').map((p) => h('option', { value: p, selected: p === values.place_type }, t(`place.${p}`))));
  const placeName = h('input', { type: 'text', name: 'place_name', required: true, value: values.place_name ?? '' });
  const when = h('input', { type: 'datetime-local', name: 'inspected_at', value: toLocalInput(values.inspected_at) });
  const notes = h('textarea', { name: 'notes', rows: 3 }, values.notes ?? '');
  const followup = checkboxGroup(t('inspection.followup_legend'), [['yes', t('inspection.followup_needed')]],
    values.followup_needed ? ['yes'] : [], 'followup_needed');
  showTotal();
  const collect = () => ({
    village_id: values.village_id, place_type: placeType.value, place_name: placeName.value.trim(),
    inspected_at: fromLocalInput(when.value), template_id: template.id,
    scores: Object.fromEntries(Object.entries(scores).filter(([, v]) => v.score !== null && v.score !== undefined)),
    followup_needed: form.querySelector('input[name="followup_needed"]').checked,
    reinspection_of_id: values.reinspection_of_id, notes: notes.value,
    lat: values.lat, lon: values.lon, gps_accuracy_m: values.gps_accuracy_m, photos: values.photos,
  });
  const form = recordForm({
    ctx, entity: 'inspection', id: recordId, record, validate: validateInspection, collect,
    // A note on an item not scored yet is kept too when the form is drawn again.
    keep: () => ({ ...collect(), scores: structuredClone(scores) }),
  },
  await villagePicker(ctx.session, values, { errors: fieldErrors(record, 'village_id') }),
  field(t('inspection.place_type'), placeType, { errors: fieldErrors(record, 'place_type') }),
  field(t('inspection.place_name'), placeName, { errors: fieldErrors(record, 'place_name') }),
  field(t('inspection.when'), when, { errors: fieldErrors(record, 'inspected_at') }),
  h('h2', {}, localName(template)),
  template.items.map((item) => itemRow(item, scores, values.photos, showTotal)),
  totalText, followup,
  field(t('inspection.notes'), notes),
  gpsField(values),
  photoField({ photos: values.photos, label: t('inspection.place_photo') }));
  return h('section', {}, h('h1', {}, id ? t('inspection.edit_title') : t('inspection.new_title')), form);
}
