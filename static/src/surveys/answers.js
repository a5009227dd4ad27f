/**
 * A survey's answers as the sync sends them (docs/sync-protocol.md, entity `survey`): pure
 * functions, no DOM. Answers travel as an item map, so an edit sends only the answers it
 * changed (data/records.js `buildMutation` with the server's `item_maps`).
 */
import { isoWithOffset } from '../data/records.js';

/** Question types that hold no answer of their own. */
const NO_ANSWER = new Set(['note', 'group']);

/** Every question in document order, groups included (their children follow them). */
export function allQuestions(questions, parents = []) {
  const list = [];
  for (const question of questions ?? []) {
    list.push({ question, parents });
    if (question.type === 'group') list.push(...allQuestions(question.children, [...parents, question.name]));
  }
  return list;
}

/** Questions that take an answer (or a calculated value), by name. */
export function answerable(definition) {
  return new Map(allQuestions(definition.questions)
    .filter(({ question }) => !NO_ANSWER.has(question.type))
    .map(({ question }) => [question.name, question]));
}

/** Whether a value counts as unanswered (ODK: an empty string, an empty selection). */
export function isEmpty(value) {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);
}

/**
 * A literal XLSForm `default` as the answer of its type (a dynamic default such as today() is
 * evaluated by the engine instead).
 */
export function literalDefault(question) {
  const text = question.default;
  if (text === null || text === undefined || text === '') return null;
  switch (question.type) {
    case 'integer': return Number.isInteger(Number(text)) ? Number(text) : null;
    case 'decimal': return Number.isFinite(Number(text)) ? Number(text) : null;
    case 'select_multiple': return String(text).split(/\s+/).filter(Boolean);
    default: return String(text);
  }
}

/**
 * The value of a text typed into a question's control, as the wire type: integer → int,
 * decimal → number, select_multiple → list; `{invalid}` when it cannot be one.
 */
export function parseTyped(question, raw) {
  if (Array.isArray(raw)) return raw.length ? raw : null;
  if (raw === null || raw === undefined || raw === '') return null;
  if (question.type === 'integer') {
    const n = Number(raw);
    return Number.isInteger(n) ? n : { invalid: 'integer' };
  }
  if (question.type === 'decimal') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : { invalid: 'decimal' };
  }
  return raw;
}

/**
 * The answers to keep: only the form's questions, an answer to a question that is not
 * relevant now is dropped (ODK clears it), empty answers are left out.
 */
export function answersForSave(definition, answers, relevant = null) {
  const kept = {};
  for (const [name] of answerable(definition)) {
    const value = answers[name];
    if (isEmpty(value) || value?.invalid || (relevant && !relevant.has(name))) continue;
    kept[name] = value;
  }
  return kept;
}

/** The photo links of the image answers: item_key = the question's name. */
export function answerPhotos(definition, answers) {
  const photos = [];
  for (const [name, question] of answerable(definition)) {
    if (question.type === 'image' && typeof answers[name] === 'string' && answers[name]) {
      photos.push({ sha256: answers[name], caption: '', position: photos.length, item_key: name, role: 'before' });
    }
  }
  return photos;
}

/** The survey's position: its first geopoint answer, else the phone's own position. */
export function surveyPosition(definition, answers, phone = null) {
  for (const [name, question] of answerable(definition)) {
    const point = answers[name];
    if (question.type === 'geopoint' && point && point.lat != null) {
      return { lat: point.lat, lon: point.lon, gps_accuracy_m: point.accuracy_m ?? null };
    }
  }
  return { lat: phone?.lat ?? null, lon: phone?.lon ?? null, gps_accuracy_m: phone?.gps_accuracy_m ?? null };
}

/**
 * The record's values for data/store.js `saveRecord`: the fields of the `survey` entity, with
 * the photos of its image answers beside them.
 */
export function surveyValues({ definition, formId, villageId, visitId = null, answers, relevant = null,
  filledAt = null, notes = '', phone = null, now = new Date() }) {
  const kept = answersForSave(definition, answers, relevant);
  return {
    form_id: Number(formId), village_id: villageId || null, visit_id: visitId || null, answers: kept,
    filled_at: filledAt ?? isoWithOffset(now), notes, ...surveyPosition(definition, kept, phone),
    photos: answerPhotos(definition, kept),
  };
}
