/**
 * Every workflow step of a concern as a control, offered only when the server's
 * `allowed_actions` has it. A step is queued in the outbox like every change made on this
 * phone (data/store.js queueStep) and sent by the next sync, so a step made offline waits
 * there, shown as pending, until the signal returns.
 */
import { localName, refusal, t } from '../i18n.js';
import { acknowledge, discardStep, queueStep } from '../data/store.js';
import { corrections, offeredSteps, PRIORITIES, stepBody, stepProblems } from '../data/workflow.js';
import { categories } from '../data/mirror.js';
import { syncEvents } from '../sync/engine.js';
import { field, h, replace } from '../ui/dom.js';
import { assigneePicker } from './assignee-picker.js';
import { duplicateSearch } from './duplicate-search.js';
import { ANSWERS } from '../data/villager-word.js';

/**
 * While a step waits in the outbox, the next sync's end (sent, or failed for want of signal)
 * draws the concern again; each drawing listens once more while something still waits.
 */
function redrawAfterSync(ctx) {
  const path = window.location.pathname;
  const once = () => {
    syncEvents.removeEventListener('done', once);
    syncEvents.removeEventListener('error', once);
    if (window.location.pathname === path) ctx.rerender();
  };
  syncEvents.addEventListener('done', once);
  syncEvents.addEventListener('error', once);
}

function noteField(action, values) {
  const required = action === 'reject' || action === 'resolve' || action === 'correct';
  const note = h('textarea', { name: 'note', rows: 2, required, oninput: (e) => { values.note = e.target.value; } });
  const label = required ? `step.note_${action}` : action === 'confirm_fix' ? 'word.note' : 'step.note';
  return field(t(label), note);
}

/** The inputs a step takes besides its note. */
async function stepInputs(ctx, action, detail, values) {
  if (action === 'assign') {
    const due = h('input', { type: 'date', name: 'due_date', value: detail.due_date ?? '', oninput: (e) => { values.due_date = e.target.value; } });
    const priority = h('select', { name: 'priority', onchange: (e) => { values.priority = e.target.value; } },
      h('option', { value: '' }, t('step.priority_keep')),
      PRIORITIES.map((p) => h('option', { value: p, selected: p === detail.priority }, t('priority.n', { n: p }))));
    const agency = h('input', { type: 'text', name: 'assignee_agency', value: detail.assignee_agency ?? '',
      oninput: (e) => { values.assignee_agency = e.target.value; } });
    values.due_date = detail.due_date ?? '';
    values.priority = detail.priority ?? '';
    return [await assigneePicker(detail, values), field(t('concern.due'), due, { hint: t('step.due_hint') }),
      field(t('concern.priority'), priority), field(t('concern.agency'), agency)];
  }
  if (action === 'mark_duplicate') return [await duplicateSearch(detail, values)];
  if (action === 'correct') return correctionInputs(detail, values);
  if (action === 'confirm_fix') {
    const choices = ANSWERS.map((answer) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'answer', value: answer,
      onchange: () => { values.answer = answer; } }), t(`word.${answer}`)));
    return [h('fieldset', { class: 'choices' }, h('legend', {}, t('word.question')), choices)];
  }
  if (action === 'close') {
    const inputs = [];
    if (detail.evidence?.open_checks?.length) { // docs/evidence.md: an audited override
      values.needs_override = true;
      inputs.push(field(t('step.override_reason'), h('textarea', { name: 'override_reason', rows: 2, required: true,
        oninput: (e) => { values.override_reason = e.target.value; } }), { hint: t('evidence.override_needed') }));
    }
    return inputs;
  }
  return [];
}

/**
 * history (issue 13): a supervisor corrects what the citizen reported; only the fields changed
 * here are sent, with the reason (the note). The original stays in the concern's history.
 */
async function correctionInputs(detail, values) {
  const typed = {};
  const update = (name) => (e) => { typed[name] = e.target.value; values.corrections = corrections(detail, typed); };
  const description = h('textarea', { name: 'description', rows: 3, oninput: update('description') }, detail.description ?? '');
  const cats = (await categories()).filter((c) => c.active !== false || c.code === detail.category_code);
  const category = h('select', { name: 'category_code', onchange: update('category_code') },
    cats.map((c) => h('option', { value: c.code, selected: c.code === detail.category_code }, localName(c))));
  return [h('p', { class: 'hint' }, t('correct.hint')),
    field(t('concern.description'), description), field(t('concern.category'), category)];
}

/** The form of one step, drawn under the step buttons when the supervisor picks it. */
async function stepForm(ctx, action, detail, close) {
  const values = {};
  const message = h('p', { class: 'form-message', role: 'alert' });
  const submit = async (event) => {
    event.preventDefault();
    const problems = stepProblems(action, values);
    if (problems.length) {
      message.textContent = problems.map((key) => t(key)).join(' ');
      return;
    }
    await queueStep(detail.id, stepBody(action, detail.status, values), { baseVersion: detail.version });
    ctx.flash(navigator.onLine ? t('step.sending') : t('step.saved_offline'));
    await ctx.rerender();
    ctx.requestSync('save');
  };
  return h('form', { class: 'step-form', 'data-action': action, 'aria-label': t(`step.${action}`), onsubmit: submit, novalidate: true },
    h('h4', {}, t(`step.${action}`)), ...(await stepInputs(ctx, action, detail, values)), noteField(action, values), message,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('step.confirm', { step: t(`step.${action}`) })),
      h('button', { type: 'button', class: 'secondary', onclick: close }, t('step.cancel'))));
}

/** The step buttons; the chosen one opens its form. Nothing when the server allows no step. */
export function workflowControls(ctx, detail) {
  const steps = offeredSteps(detail.allowed_actions);
  if (!steps.length) return null;
  const slot = h('div', { class: 'step-slot' });
  const buttons = steps.map((action) => h('button', { type: 'button', class: action === 'reject' ? 'secondary danger' : 'secondary',
    'data-step': action, 'aria-expanded': 'false', onclick: async (event) => {
      for (const b of buttons) b.setAttribute('aria-expanded', String(b === event.currentTarget));
      const close = () => { replace(slot); for (const b of buttons) b.setAttribute('aria-expanded', 'false'); };
      replace(slot, await stepForm(ctx, action, detail, close));
      slot.querySelector('select, input, textarea')?.focus();
    } }, t(`step.${action}`)));
  return h('section', { class: 'workflow', 'aria-label': t('step.title') }, h('h3', {}, t('step.title')),
    h('div', { class: 'step-buttons' }, buttons), slot);
}

/** Steps of this concern still on the phone: waiting for signal, or refused with the reason. */
export function pendingStepsNotice(ctx, entries) {
  if (entries.some((e) => e.state !== 'rejected')) redrawAfterSync(ctx);
  return h('section', { class: 'workflow', 'aria-label': t('step.title') }, h('h3', {}, t('step.title')),
    h('ul', { class: 'pending-steps' }, entries.map((entry) => h('li', { 'data-state': entry.state },
      h('strong', {}, t(`step.${entry.transition.action}`)), ' ',
      entry.state === 'rejected'
        ? [h('span', { class: 'badge state-attention' }, t('step.refused')), ' ', refusal(entry.reason, entry.detail), ' ',
          h('button', { type: 'button', class: 'secondary', onclick: async () => { await discardStep(entry.seq); await acknowledge(entry.record_id); ctx.rerender(); } }, t('step.discard'))]
        : h('span', { class: 'badge state-pending' }, navigator.onLine ? t('step.waiting') : t('step.waiting_offline'))))),
    entries.some((e) => e.state !== 'rejected')
      ? h('button', { type: 'button', class: 'primary', onclick: () => ctx.requestSync('manual') }, t('sync.now')) : null);
}
