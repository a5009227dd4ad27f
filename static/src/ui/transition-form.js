/** The assignee's part of a concern's workflow: start the work, report it resolved with photos. */
import { t } from '../i18n.js';
import { queueTransition } from '../data/store.js';
import { field, h } from './dom.js';
import { photoField } from './photo-field.js';

/** The steps an assignee may take from a status (the server checks again). */
export function assigneeActions(status) {
  if (status === 'accepted') return ['start', 'resolve'];
  if (status === 'in_progress') return ['resolve'];
  return [];
}

/** Shown on a concern assigned to the signed-in official, when a step is possible. */
export function transitionForm(ctx, record, view) {
  const actions = assigneeActions(view.status);
  if (view.assignee_id !== ctx.session.user?.id || !actions.length || !record.server) return null;
  const photos = [];
  const note = h('textarea', { name: 'note', rows: 3 });
  const message = h('p', { class: 'form-message', role: 'alert' });
  const submit = async (action) => {
    if (action === 'resolve' && !note.value.trim()) {
      message.textContent = t('transition.need_note');
      return;
    }
    if (action === 'resolve' && !photos.some((p) => p.role === 'after')) {
      message.textContent = t('transition.need_after_photo');
      return;
    }
    await queueTransition(record.id, { action, note: note.value.trim(), photos });
    ctx.flash(t('form.saved'));
    ctx.requestSync('save');
    ctx.rerender();
  };
  return h('section', { class: 'transition', 'aria-label': t('transition.title') }, h('h2', {}, t('transition.title')),
    field(t('transition.note'), note),
    photoField({ photos, role: 'after', label: t('transition.after_photo') }), message,
    h('div', { class: 'actions' }, actions.map((action) => h('button', { type: 'button',
      class: action === 'resolve' ? 'primary' : 'secondary', onclick: () => submit(action) }, t(`transition.${action}`)))));
}
