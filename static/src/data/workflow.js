/**
 * A concern's workflow steps as the PWA offers them: which values each step takes, what must
 * be filled in before it is queued, and the `transition` body it becomes. The server decides
 * which steps are possible (`allowed_actions`); this only shapes the input. Pure.
 */

import { wordProblems } from './villager-word.js';

/** The order the controls appear in. */
export const STEP_ORDER = ['accept', 'assign', 'start', 'resolve', 'confirm_fix', 'close', 'reopen', 'reject', 'mark_duplicate', 'correct'];

/** The values each step carries besides the action (docs/sync-protocol.md, Transitions). */
export const STEP_VALUES = {
  accept: ['note'],
  assign: ['assignee_id', 'assignee_agency', 'due_date', 'priority', 'note'],
  start: ['note'],
  resolve: ['note'],
  close: ['note', 'override_reason'],
  confirm_fix: ['answer', 'note'],
  reopen: ['note'],
  reject: ['note'],
  mark_duplicate: ['duplicate_of_id', 'note'],
  correct: ['note'], // and `corrections`: the reported fields' corrected values (history, issue 13)
};

export const PRIORITIES = [1, 2, 3, 4, 5];

/** Message keys for what is missing before a step can be queued. */
export function stepProblems(action, values) {
  const problems = [];
  const note = (values.note ?? '').trim();
  if ((action === 'reject' || action === 'resolve' || action === 'correct') && !note) problems.push(`step.need_note_${action}`);
  if (action === 'correct' && !Object.keys(values.corrections ?? {}).length) problems.push('step.need_correction');
  if (action === 'mark_duplicate' && !values.duplicate_of_id) problems.push('step.need_duplicate');
  if (action === 'assign' && !values.assignee_id && !(values.assignee_agency ?? '').trim()
    && !values.due_date && !values.priority) problems.push('step.need_assignment');
  if (action === 'confirm_fix') problems.push(...wordProblems(values.answer, values.note));
  if (action === 'close' && values.needs_override && !(values.override_reason ?? '').trim()) problems.push('step.need_override');
  if (values.due_date && !/^\d{4}-\d{2}-\d{2}$/.test(values.due_date)) problems.push('step.bad_due_date');
  return problems;
}

/** The `transition` body of a step: only the values it takes, empty ones left out. */
export function stepBody(action, fromStatus, values) {
  const body = { action, from_status: fromStatus };
  for (const name of STEP_VALUES[action] ?? []) {
    let value = values[name];
    if (typeof value === 'string') value = value.trim();
    if (value === undefined || value === null || value === '') continue;
    if (name === 'priority' || name === 'assignee_id') value = Number(value);
    body[name] = value;
  }
  if (action === 'correct') body.corrections = { ...(values.corrections ?? {}) };
  return body;
}

/** The steps offered, in order: those the server would accept now, and no other. */
export function offeredSteps(allowedActions) {
  const allowed = new Set(allowedActions ?? []);
  return STEP_ORDER.filter((action) => allowed.has(action));
}

// --- history (issue 13) ---
/**
 * A correction's values: each reported field whose input differs from the concern's value
 * (`inputs`: field -> the text typed); a cleared optional field becomes null.
 */
export function corrections(detail, inputs) {
  const out = {};
  for (const [name, typed] of Object.entries(inputs)) {
    const text = typeof typed === 'string' ? typed.trim() : typed;
    const value = text === '' ? null : text;
    if ((detail[name] ?? null) !== value) out[name] = value;
  }
  return out;
}
// --- end history ---
