/** Comments on a concern's follow-up timeline: written offline, queued like any other edit. */
import { fieldMessages, refusal, t } from '../i18n.js';
import { discardComment, queueComment } from '../data/store.js';
import { field, h } from './dom.js';
import { fieldRule } from '../data/meta.js';

/** The server's limit on a follow-up entry's body (GET /api/meta). */
export function maxComment() {
  return fieldRule('followup', 'body')?.max_length ?? 5000;
}

/** What is wrong with a comment before it is queued, or null: [message key, its values]. */
function problemOf(body) {
  if (!body.trim()) return ['comment.empty', {}];
  const max = maxComment();
  if (body.length > max) return ['comment.too_long', { max }];
  return null;
}

/**
 * The comment being written and what was said about it, per concern. A sync or the network
 * coming and going redraws the concern's screen (main.js: refresh); the new form takes both
 * back, so neither the words nor the message vanish under the official's fingers.
 */
const drafts = new Map();

/** Shown on every queued or synced concern the official can open; not on a draft. */
export function commentForm(ctx, record) {
  if (record.entity !== 'concern' || !(record.queued || record.server)) return null;
  const draft = drafts.get(record.id) ?? { text: '', problem: null };
  const body = h('textarea', { name: 'comment', rows: 3, maxlength: maxComment(),
    oninput: () => { drafts.set(record.id, { ...drafts.get(record.id), text: body.value }); } });
  body.value = draft.text;
  const message = h('p', { class: 'form-message', role: 'alert' }, draft.problem ? t(...draft.problem) : '');
  const submit = async () => {
    const problem = problemOf(body.value);
    drafts.set(record.id, { text: body.value, problem });
    if (problem) {
      message.textContent = t(...problem);
      body.focus();
      return;
    }
    drafts.delete(record.id);
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
