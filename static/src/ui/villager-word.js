/**
 * The villager's word on a fix, recorded offline at a later visit (issue 13): the concerns of
 * a village awaiting it, and the form that queues the answer ("fixed" / "not fixed" with a
 * note) as a `confirm_fix` step in the outbox, pending until the next sync sends it.
 */
import { localName, refusal, t } from '../i18n.js';
import { categories, villages } from '../data/mirror.js';
import { firstWords, recordView } from '../data/records.js';
import { listRecords, queueStep } from '../data/store.js';
import { getDb } from '../data/db.js';
import { ANSWERS, awaitsWord, wordProblems, wordsIn, wordStep } from '../data/villager-word.js';
import { field, h, replace, uid } from './dom.js';
import { villageLabel } from './village-picker.js';

/** concern id -> this phone's answer still in the outbox (waiting, or refused). */
async function queuedWords() {
  return wordsIn(await (await getDb()).getAll('outbox'));
}

/**
 * Concerns awaiting the villager's word, newest fix first: of the villages `villageIds` (or
 * all), and those assigned to `me`.
 */
export async function awaitingConcerns(villageIds = null, me = null) {
  const views = (await listRecords('concern')).filter((r) => r.server).map(recordView)
    .filter((v) => awaitsWord(v) && (!villageIds || villageIds.has(v.village_id) || (me && v.assignee_id === me)));
  return views.sort((a, b) => String(b.resolved_at ?? '').localeCompare(String(a.resolved_at ?? '')));
}

/** What this phone holds for the concern: the queued answer, waiting or refused. */
export function pendingWord(entry) {
  const answer = entry.transition.answer;
  if (entry.state === 'rejected') {
    return h('p', { class: 'notice warn', role: 'status', 'data-word': answer },
      t('word.refused', { answer: t(`word.${answer}`) }), ' ', refusal(entry.reason, entry.detail));
  }
  return h('p', { class: 'notice', role: 'status', 'data-word': answer }, h('span', { class: 'badge state-pending' }, t('state.pending')), ' ',
    t(`word.pending_${answer}`));
}

/**
 * The answer form of one concern. `done(entry)` is called once the answer is queued (the
 * caller redraws; a form screen replaces only this form, keeping what was typed elsewhere).
 */
export function wordForm(ctx, view, done) {
  const name = uid('answer');
  let answer = null;
  const radios = ANSWERS.map((value) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name, value, onchange: () => { answer = value; } }), t(`word.${value}`)));
  const note = h('textarea', { name: 'word_note', rows: 2, maxlength: 5000 });
  const message = h('p', { class: 'form-message', role: 'alert' });
  const save = async () => {
    const problems = wordProblems(answer, note.value);
    if (problems.length) {
      message.textContent = problems.map((key) => t(key)).join(' ');
      return;
    }
    const entry = await queueStep(view.id, wordStep(view, answer, note.value), { baseVersion: view.version });
    ctx.flash(t('word.saved'));
    ctx.requestSync('save');
    await done(entry);
  };
  return h('div', { class: 'word-form', 'data-concern': view.id },
    h('fieldset', { class: 'choices' }, h('legend', {}, t('word.question')), radios),
    field(t('word.note'), note, { hint: t('word.note_hint') }), message,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: save }, t('word.save'))));
}

/** On a concern's detail: its villager's word, confirmed, waiting to be sent, or asked for. */
export async function wordSection(ctx, view) {
  if (view.villager_confirmed === true) {
    return h('p', { class: 'notice ok', 'data-word': 'confirmed' }, t('word.confirmed'));
  }
  if (!awaitsWord(view)) return null;
  const queued = (await queuedWords()).get(view.id);
  return h('section', { class: 'villager-word', 'aria-label': t('word.title') }, h('h2', {}, t('word.title')),
    queued ? pendingWord(queued) : [h('p', { class: 'hint' }, t('word.ask')), wordForm(ctx, view, () => ctx.rerender())]);
}

/**
 * The list of concerns awaiting the villager's word. `inline`: each opens its answer form in
 * place (the visit form, which is never redrawn under the official); else each links to the
 * concern's detail (home).
 */
export async function awaitingList(ctx, views, { inline = false } = {}) {
  const [cats, allVillages, queued] = await Promise.all([categories(), villages(null), queuedWords()]);
  const byCode = new Map(cats.map((c) => [c.code, c]));
  const byId = new Map(allVillages.map((v) => [v.id, v]));
  const title = (view) => [h('strong', {}, localName(byCode.get(view.category_code)) || view.category_code), ' · ',
    firstWords(view.description, 60), h('span', { class: 'row-meta' }, villageLabel(byId.get(view.village_id)), ' · ',
      h('span', { class: `badge status-${view.status}` }, t(`status.${view.status}`)))];
  return h('ul', { class: 'record-list awaiting-word' }, views.map((view) => {
    if (!inline) {
      return h('li', {}, h('a', { href: `/app/record/${view.id}`, 'data-link': true, class: 'row' }, title(view),
        queued.has(view.id) ? h('span', { class: 'badge state-pending' }, t(`word.${queued.get(view.id).transition.answer}`)) : null));
    }
    const slot = h('div', {});
    if (queued.has(view.id)) replace(slot, pendingWord(queued.get(view.id)));
    else replace(slot, wordForm(ctx, view, (entry) => replace(slot, pendingWord(entry))));
    return h('li', { class: 'awaiting-item' }, h('details', { open: queued.has(view.id) ? null : true },
      h('summary', { class: 'row' }, title(view)), slot));
  }));
}

// Home lists this many at most (a supervisor's districts may hold many); the visit form lists
// a village's all.
export const HOME_MOST = 10;

/** Home: the fixes in my villages awaiting their villagers' word, when there are any. */
export async function awaitingHome(ctx) {
  const mine = new Set((await villages(ctx.session.user?.district_codes)).map((v) => v.id));
  const views = await awaitingConcerns(mine, ctx.session.user?.id);
  if (!views.length) return null;
  return h('section', { class: 'villager-word', 'aria-labelledby': 'awaiting-word' },
    h('h2', { id: 'awaiting-word' }, t('word.awaiting', { n: views.length })), h('p', { class: 'hint' }, t('word.ask')),
    await awaitingList(ctx, views.slice(0, HOME_MOST)),
    views.length > HOME_MOST ? h('p', { class: 'hint' }, t('word.more', { n: views.length - HOME_MOST })) : null);
}

/** The visit form: once a village is picked, its fixes awaiting the villager's word. */
export function awaitingForVillage(ctx) {
  const slot = h('div', { class: 'villager-word-slot', 'aria-live': 'polite' });
  const show = async (villageId) => {
    const views = villageId ? await awaitingConcerns(new Set([villageId])) : [];
    if (!views.length) { replace(slot); return; }
    replace(slot, h('section', { class: 'villager-word', 'aria-labelledby': 'village-awaiting-word' },
      h('h2', { id: 'village-awaiting-word' }, t('word.awaiting_village', { n: views.length })), h('p', { class: 'hint' }, t('word.ask')),
      await awaitingList(ctx, views, { inline: true })));
  };
  return { slot, show };
}
