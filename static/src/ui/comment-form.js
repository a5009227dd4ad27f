/** Comments on a concern's follow-up timeline: written offline, queued like any other edit. */
import { fieldMessages, refusal, t } from '../i18n.js';
import { discardComment, queueComment } from '../data/store.js';
import { field, h } from './dom.js';
import { fieldRule } from '../data/meta.js';

/** The server's limit on a follow-up entry's body (GET /api/meta). */
export function maxComment() {
  return fieldRule('followup', 'body')?.max_length ?? 5000;
}

/** What is wrong with a comment before it is queued, or null. */
export function commentProblem(body) {
  if (!body.trim()) return t('comment.empty');
  const max = maxComment();
  if (body.length > max) return t('comment.too_long', { max });
  return null;
}

/** Shown on every queued or synced concern the official can open; not on a draft. */
export function commentForm(ctx, record) {
  if (record.entity !== 'concern' || !(record.queued || record.server)) return null;
  const body = h('textarea', { name: 'comment', rows: 3, maxlength: maxComment() });
  const message = h('p', { class: 'form-message', role: 'alert' });
  const submit = async () => {
    const problem = commentProblem(body.value);
    if (problem) {
      message.textContent = problem;
      body.focus();
      return;
    }
    await queueComment(record.id, body.value.trim());
    ctx.flash(t('form.saved'));
    ctx.requestSync('save');
    ctx.rerender();
  };
  return h('section', { class: 'comment', 'aria-label': t('comment.title') }, h('h2', {}, t('comment.title')),
    field(t('comment.label'), body), message,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: submit }, t('comment.add'))));
}

/** A comment of this phone's that the server has not sent back yet: waiting, or refused. */
export function localState(ctx, entry) {
  if (entry.local === 'rejected') {
    // The server's per-field messages too (a comment too long, a concern gone), worded from their codes.
    const fields = [...new Set((entry.error_codes ?? []).map((c) => c.field))];
    const why = [refusal(entry.reason, entry.detail), ...fields.flatMap((path) => fieldMessages(entry, path))].join(' ');
    return h('p', { class: 'field-error', role: 'alert' }, t('timeline.refused', { detail: why }), ' ',
      h('button', { type: 'button', class: 'link danger', onclick: async () => { await discardComment(entry.id); ctx.rerender(); } },
        t('timeline.discard')));
  }
  return entry.local ? h('span', { class: 'badge state-pending' }, t('timeline.waiting')) : null;
}
