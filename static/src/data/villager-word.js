/**
 * The villager's word on a fix (issue 13): which concerns await it, and the `confirm_fix`
 * step that records it (docs/sync-protocol.md, Transitions). The server decides who may record
 * it (fieldapp/auth/visibility.py: hears_villagers) and refuses with a code otherwise. Pure.
 */
/** A fix reported (resolved) or closed on it, and not yet confirmed by the villager. */
export const AWAITING_STATUSES = ['resolved', 'closed'];
export const ANSWERS = ['fixed', 'not_fixed'];

/** Whether a concern (its view) awaits the villager's word. Pure. */
export function awaitsWord(view) {
  return Boolean(view) && view.entity === 'concern' && !view.deleted
    && AWAITING_STATUSES.includes(view.status) && view.villager_confirmed !== true;
}

/** Message keys for what is missing before the answer can be queued. Pure. */
export function wordProblems(answer, note) {
  if (!ANSWERS.includes(answer)) return ['word.need_answer'];
  if (answer === 'not_fixed' && !(note ?? '').trim()) return ['word.need_note'];
  return [];
}

/** The `transition` body of the step. Pure. */
export function wordStep(view, answer, note) {
  const body = { action: 'confirm_fix', from_status: view.status, answer };
  if ((note ?? '').trim()) body.note = note.trim();
  return body;
}

/** concern id -> the `confirm_fix` step waiting (or refused) among outbox entries. */
export function wordsIn(outbox) {
  const words = new Map();
  for (const entry of outbox) {
    if (entry.op === 'transition' && entry.transition?.action === 'confirm_fix') words.set(entry.record_id, entry);
  }
  return words;
}
