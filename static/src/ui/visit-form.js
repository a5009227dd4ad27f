/** The visit form: ลงพื้นที่พบปะประชาชน. */
import { t } from '../i18n.js';
import { field, fromLocalInput, h, toLocalInput } from './dom.js';
import { checkboxGroup, checkedValues, fieldErrors, loadForEdit, recordForm } from './form-common.js';
import { gpsField } from './gps-field.js';
import { photoField } from './photo-field.js';
import { villagePicker } from './village-picker.js';
import { awaitingForVillage } from './villager-word.js';
import { enumeration } from '../data/meta.js';

/** Client-side checks before queueing; the server checks again. */
export function validateVisit(values) {
  const problems = [];
  if (!values.village_id) problems.push(t('form.need_village'));
  if (!values.visited_at) problems.push(t('visit.need_time'));
  if (values.villagers_met !== null && !(values.villagers_met >= 0)) problems.push(t('visit.bad_count'));
  return problems;
}

export async function visitForm(ctx, id) {
  const { id: recordId, record, values } = await loadForEdit('visit', id, {
    village_id: ctx.query.get('village') || null, visited_at: new Date().toISOString(), companions: [], topics: [],
    villagers_met: null, notes: '', lat: null, lon: null, gps_accuracy_m: null,
  });
  const when = h('input', { type: 'datetime-local', name: 'visited_at', required: true, value: toLocalInput(values.visited_at) });
  const companions = h('input', { type: 'text', name: 'companions', value: (values.companions ?? []).join(', ') });
  const met = h('input', { type: 'number', name: 'villagers_met', min: 0, inputmode: 'numeric', value: values.villagers_met ?? '' });
  const notes = h('textarea', { name: 'notes', rows: 4 }, values.notes ?? '');
  // At the visit: the village's fixes awaiting the villager's word (issue 13).
  const awaiting = awaitingForVillage(ctx);
  await awaiting.show(values.village_id);
  const topics = checkboxGroup(t('visit.topics'), enumeration('topics').map((k) => [k, t(`topic.${k}`)]), values.topics ?? [], 'topics');
  const form = recordForm({
    ctx, entity: 'visit', id: recordId, record, validate: validateVisit,
    collect: () => ({
      village_id: values.village_id,
      visited_at: fromLocalInput(when.value),
      companions: companions.value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean),
      topics: checkedValues(form, 'topics'),
      villagers_met: met.value === '' ? null : Number(met.value),
      notes: notes.value,
      lat: values.lat, lon: values.lon, gps_accuracy_m: values.gps_accuracy_m,
      photos: values.photos,
    }),
  },
  await villagePicker(ctx.session, values, { errors: fieldErrors(record, 'village_id'), onChange: awaiting.show }),
  awaiting.slot,
  field(t('visit.when'), when, { errors: fieldErrors(record, 'visited_at') }),
  field(t('visit.companions'), companions, { hint: t('visit.companions_hint'), errors: fieldErrors(record, 'companions') }),
  topics,
  field(t('visit.villagers_met'), met, { errors: fieldErrors(record, 'villagers_met') }),
  field(t('visit.notes'), notes, { errors: fieldErrors(record, 'notes') }),
  gpsField(values),
  photoField({ photos: values.photos, label: t('photo.add') }));
  return h('section', {}, h('h1', {}, id ? t('visit.edit_title') : t('visit.new_title')), form);
}
