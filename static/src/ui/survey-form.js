/**
 * Filling a survey, offline: the questions of the pulled form version, evaluated on every
 * change by the survey engine (surveys/engine.js, openrosa-xpath-evaluator), saved as a draft
 * or queued in the outbox as entity `survey` (docs/pwa.md, Surveys).
 */
import { fieldMessages, language, t } from '../i18n.js';
import { formVersion } from '../data/forms.js';
import { recordView } from '../data/records.js';
import { getRecord, newId, saveRecord } from '../data/store.js';
import { literalDefault, parseTyped, surveyValues } from '../surveys/answers.js';
import { evaluateSurvey, startingAnswers } from '../surveys/engine.js';
import { fromLocalInput, h, toLocalInput, uid } from './dom.js';
import { attentionBanner } from './form-common.js';
import { currentPosition } from './gps-field.js';
import { photoField } from './photo-field.js';
import { villagePicker } from './village-picker.js';

// What the form held when the language switched: taken back once at the same address.
let carried = null;

/** A {th, en} text in the chosen language (the form's default language, then any). */
export function localText(text, fallback = 'th') {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[language()] || text[fallback] || text.th || text.en || '';
}

/** The message a problem shows: the form's own (constraint_message, required_message) first. */
export function problemText(problem, fallback) {
  if (problem.message) return localText(problem.message, fallback);
  if (problem.kind === 'required') return t('survey.required');
  if (problem.kind === 'type') return t(`survey.not_${problem.type}`);
  return t('survey.constraint');
}

function choiceInputs(question, type, name, selected, fallback) {
  return (question.choices ?? []).map((choice) => h('label', { class: 'check' },
    h('input', { type, name, value: choice.name, checked: selected.includes(choice.name) }), localText(choice.label, fallback)));
}

/** A control for one question: its element, and how to read the typed value back. */
function control(question, value, ids, fallback, setAnswer) {
  const common = { id: ids.control, name: question.name, 'aria-describedby': ids.described, required: question.required || null };
  switch (question.type) {
    case 'select_one':
    case 'select_multiple': {
      const multiple = question.type === 'select_multiple';
      const selected = multiple ? (value ?? []) : [value];
      const group = h('div', { class: 'checks', role: multiple ? 'group' : 'radiogroup', 'aria-labelledby': ids.label,
        'aria-describedby': ids.described }, choiceInputs(question, multiple ? 'checkbox' : 'radio', `${question.name}-${ids.control}`, selected, fallback));
      const read = () => {
        const ticked = [...group.querySelectorAll('input:checked')].map((el) => el.value);
        return multiple ? ticked : (ticked[0] ?? null);
      };
      return { el: group, read };
    }
    case 'integer':
    case 'decimal': {
      const el = h('input', { ...common, type: 'number', step: question.type === 'integer' ? '1' : 'any',
        inputmode: question.type === 'integer' ? 'numeric' : 'decimal', value: value ?? '' });
      return { el, read: () => (el.validity.badInput ? 'x' : el.value) };
    }
    case 'date': {
      const el = h('input', { ...common, type: 'date', value: value ?? '' });
      return { el, read: () => el.value };
    }
    case 'datetime': {
      const el = h('input', { ...common, type: 'datetime-local', value: value ? toLocalInput(value) : '' });
      return { el, read: () => fromLocalInput(el.value) };
    }
    case 'geopoint': return geopointControl(question, value, ids, setAnswer);
    default: {
      const el = question.appearance?.includes('multiline')
        ? h('textarea', { ...common, rows: 3 }, value ?? '') : h('input', { ...common, type: 'text', value: value ?? '' });
      return { el, read: () => el.value };
    }
  }
}

/** The phone's position with its accuracy, as a geopoint answer. */
function geopointControl(question, value, ids, setAnswer) {
  let point = value ?? null;
  const text = h('p', { class: 'hint', role: 'status', id: `${ids.control}-pos` });
  const describe = () => {
    text.textContent = point ? t('gps.position', { lat: point.lat.toFixed(5), lon: point.lon.toFixed(5), acc: point.accuracy_m ?? '?' }) : t('gps.none');
  };
  const take = h('button', { type: 'button', class: 'secondary', id: ids.control, 'aria-describedby': `${ids.control}-pos ${ids.described}` }, t('gps.take'));
  take.addEventListener('click', async () => {
    text.textContent = t('gps.waiting');
    try {
      const pos = await currentPosition();
      point = { lat: pos.lat, lon: pos.lon, accuracy_m: pos.gps_accuracy_m };
    } catch {
      text.textContent = t('gps.failed');
      return;
    }
    describe();
    setAnswer(point);
  });
  const clear = h('button', { type: 'button', class: 'link', onclick: () => { point = null; describe(); setAnswer(null); } }, t('gps.clear'));
  describe();
  return { el: h('div', { class: 'gps' }, take, clear, text), read: null };
}

/** Everything the screen needs to redraw itself: answers, touched questions, elements. */
function makeState(definition, answers, refused) {
  return { definition, answers, refused, touched: new Set(), tried: false, wrappers: new Map(), errors: new Map(), result: null };
}

/** The server's refusal of an answer (`answers.<name>`), shown at its question until it is changed. */
function refusedText(state, name) {
  if (!state.refused || state.touched.has(name)) return '';
  return fieldMessages(state.refused, `answers.${name}`, () => name).join(' ');
}

function questionBlock(state, question, photos, onChange) {
  const fallback = state.definition.default_language ?? 'th';
  if (question.type === 'calculate') return null;
  const label = localText(question.label, fallback) || question.name;
  const hint = localText(question.hint, fallback);
  const ids = { control: uid('q'), label: uid('ql'), hint: uid('qh'), error: uid('qe') };
  ids.described = [hint ? ids.hint : null, ids.error].filter(Boolean).join(' ');
  const error = h('p', { class: 'field-error', id: ids.error, role: 'alert' });
  state.errors.set(question.name, error);
  let body;
  if (question.type === 'group') {
    body = h('fieldset', { class: 'survey-group' }, h('legend', {}, label),
      (question.children ?? []).map((child) => questionBlock(state, child, photos, onChange)));
  } else if (question.type === 'note') {
    body = h('div', { class: 'survey-note', role: 'note' }, h('p', {}, label), hint ? h('p', { class: 'hint' }, hint) : null);
  } else if (question.type === 'image') {
    body = h('div', { class: 'field' }, h('p', { class: 'label', id: ids.label }, label), hint ? h('p', { class: 'hint', id: ids.hint }, hint) : null,
      photoField({ photos, itemKey: question.name, label: t('survey.add_photo', { label }),
        onChange: () => {
          // One photo answers an image question: the newest one added.
          const mine = photos.filter((p) => p.item_key === question.name);
          for (const old of mine.slice(0, -1)) photos.splice(photos.indexOf(old), 1);
          state.answers[question.name] = mine.at(-1)?.sha256 ?? null;
          onChange(question.name);
        } }), error);
  } else {
    const setAnswer = (value) => { state.answers[question.name] = value; onChange(question.name); };
    const { el, read } = control(question, state.answers[question.name], ids, fallback, setAnswer);
    if (read) {
      const take = () => { state.answers[question.name] = parseTyped(question, read()); onChange(question.name); };
      el.addEventListener('change', take);
      el.addEventListener('input', take);
    }
    const isGroup = question.type === 'select_one' || question.type === 'select_multiple';
    const labelEl = isGroup || question.type === 'geopoint'
      ? h('p', { class: 'label', id: ids.label }, label, question.required ? ' *' : '')
      : h('label', { for: ids.control, id: ids.label }, label, question.required ? ' *' : '');
    body = h('div', { class: 'field' }, labelEl, hint ? h('p', { class: 'hint', id: ids.hint }, hint) : null, el, error);
  }
  const wrapper = h('div', { class: 'question', 'data-question': question.name, 'data-type': question.type }, body);
  state.wrappers.set(question.name, wrapper);
  return wrapper;
}

/** Show and hide by relevance; show problems of touched questions (all of them after a save). */
function redraw(state) {
  const result = evaluateSurvey(state.definition, state.answers);
  state.result = result;
  const fallback = state.definition.default_language ?? 'th';
  for (const [name, wrapper] of state.wrappers) wrapper.hidden = !result.relevant.has(name);
  for (const [name, error] of state.errors) {
    const problem = result.problems[name];
    const show = problem && (state.tried || (state.touched.has(name) && problem.kind !== 'required'));
    const text = show ? problemText(problem, fallback) : refusedText(state, name);
    error.textContent = text;
    state.wrappers.get(name)?.querySelector('input, textarea, select')?.toggleAttribute('aria-invalid', Boolean(text));
  }
  return result;
}

export async function surveyForm(ctx, id) {
  const record = id ? await getRecord(id) : null;
  const view = recordView(record) ?? {};
  const path = window.location.pathname + window.location.search;
  const kept = carried?.path === path ? carried : null;
  carried = null;
  const formId = view.form_id ?? ctx.query.get('form');
  const form = await formVersion(formId);
  if (!form) return h('section', {}, h('div', { class: 'notice warn', role: 'alert' }, t('survey.no_form')));
  const definition = form.definition;
  const recordId = kept?.id ?? record?.id ?? newId();
  const answers = kept?.answers ?? (record ? structuredClone(view.answers ?? {}) : startingAnswers(definition, literalDefault));
  const values = { village_id: kept?.village_id ?? view.village_id ?? ctx.query.get('village') ?? null,
    visit_id: view.visit_id ?? ctx.query.get('visit') ?? null };
  const photos = Object.entries(answers).filter(([name, v]) => typeof v === 'string' && definitionImage(definition, name))
    .map(([name, sha]) => ({ sha256: sha, caption: '', position: 0, item_key: name, role: 'before' }));
  const state = makeState(definition, answers, record?.attention?.kind === 'rejected' ? record.attention : null);
  let phone = null;
  if (!record) currentPosition().then((p) => { phone = p; }).catch(() => {});
  const notes = h('textarea', { name: 'notes', rows: 3 }, kept?.notes ?? view.notes ?? '');
  const onChange = (name) => { state.touched.add(name); redraw(state); };
  const message = h('p', { class: 'form-message', role: 'alert' });
  ctx.keepInput = () => { carried = { path, id: recordId, answers: state.answers, village_id: values.village_id, notes: notes.value }; };

  async function save(draft) {
    state.tried = !draft;
    const result = redraw(state);
    if (!draft) {
      const problems = [!values.village_id ? t('form.need_village') : null,
        Object.keys(result.problems).length ? t('survey.fix_answers', { n: Object.keys(result.problems).length }) : null].filter(Boolean);
      if (problems.length) {
        message.textContent = problems.join(' ');
        state.wrappers.get(Object.keys(result.problems)[0])?.scrollIntoView({ block: 'center' });
        return;
      }
    }
    const saved = surveyValues({ definition, formId: form.id, villageId: values.village_id, visitId: values.visit_id,
      answers: result.values, relevant: result.relevant, filledAt: view.filled_at ?? null, notes: notes.value, phone });
    await saveRecord('survey', recordId, saved, { draft });
    ctx.flash(draft ? t('form.saved_draft') : t('form.saved'));
    if (!draft) ctx.requestSync('save');
    ctx.navigate('/app/surveys');
  }

  const questions = h('div', { class: 'survey-questions' }, definition.questions.map((q) => questionBlock(state, q, photos, onChange)));
  redraw(state);
  const canDraft = !record?.queued;
  const formEl = h('form', { class: 'record-form survey-form', novalidate: true, 'data-form-key': form.form_key,
    onsubmit: (e) => { e.preventDefault(); save(false); } },
  attentionBanner(record),
  (view.concern_ids ?? []).length ? h('div', { class: 'notice ok', role: 'status' }, t('survey.raised_concern'), ' ',
    view.concern_ids.map((cid) => h('a', { href: `/app/record/${cid}`, 'data-link': true }, t('survey.open_concern')))) : null,
  await villagePicker(ctx.session, values),
  values.visit_id ? h('p', { class: 'hint' }, t('survey.during_visit')) : null,
  questions,
  h('div', { class: 'field' }, h('label', { for: notes.id || (notes.id = uid()) }, t('survey.notes')), notes),
  message,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, record?.attention?.kind === 'rejected' ? t('form.resend') : t('form.save')),
    canDraft ? h('button', { type: 'button', class: 'secondary', onclick: () => save(true) }, t('form.save_draft')) : null));
  const title = localText(definition.title, definition.default_language) || form.title_th;
  return h('section', {}, h('h1', {}, title), form.retired ? h('p', { class: 'notice warn' }, t('survey.retired')) : null, formEl);
}

function definitionImage(definition, name) {
  const find = (list) => (list ?? []).some((q) => (q.name === name && q.type === 'image') || find(q.children));
  return find(definition.questions);
}
