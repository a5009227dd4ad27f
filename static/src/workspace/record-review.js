/**
 * A visit or inspection under review, read-only, with its photos; an inspection also gets
 * the review controls (approve, or request a re-inspection with a note) and a link to its
 * village's Clean & Tidy history.
 */
import { apiFetch, HttpError, NetworkError } from '../api.js';
import { formatDateTime, language, localName, t } from '../i18n.js';
import { field, h } from '../ui/dom.js';
import { photoGallery } from '../ui/photo-gallery.js';

function row(label, value) {
  return value === null || value === undefined || value === '' ? null : [h('dt', {}, label), h('dd', {}, String(value))];
}

function villageName(v) {
  return v ? `${t('village.moo')} ${v.moo} ${language() === 'en' && v.name_en ? v.name_en : v.name_th}` : '';
}

function visitFacts(r) {
  return [row(t('visit.when'), formatDateTime(r.visited_at)), row(t('reviews.author'), r.author?.display_name),
    row(t('visit.companions'), (r.companions ?? []).join(', ')),
    row(t('visit.topics'), (r.topics ?? []).map((k) => t(`topic.${k}`)).join(', ')),
    row(t('visit.villagers_met'), r.villagers_met), row(t('visit.notes'), r.notes)];
}

function inspectionFacts(r) {
  const items = (r.items ?? []).map((item) => row(localName(item, 'text'), `${item.score ?? '-'}${item.note ? ` · ${item.note}` : ''}`));
  return [row(t('inspection.place_name'), r.place_name), row(t('inspection.place_type'), r.place_type && t(`place.${r.place_type}`)),
    row(t('inspection.when'), formatDateTime(r.inspected_at)), row(t('reviews.author'), r.author?.display_name), ...items,
    row(t('inspection.grade'), r.grade ? `${r.grade} (${r.total}/${r.max_total})` : null),
    row(t('inspection.followup_needed'), r.followup_needed ? t('reviews.yes') : null),
    row(t('reviews.review_state'), r.review_status && t(`review.${r.review_status}`)), row(t('reviews.review_note'), r.review_note)];
}

/** Approve, or send back for re-inspection with a note (online: a review is not a field record). */
function reviewControls(ctx, record) {
  const note = h('textarea', { name: 'review_note', rows: 2 });
  const message = h('p', { class: 'form-message', role: 'alert' });
  const send = async (action) => {
    if (action === 'request_reinspection' && !note.value.trim()) {
      message.textContent = t('reviews.need_note');
      return;
    }
    try {
      await apiFetch(`/api/inspections/${record.id}/review`, { method: 'POST', body: { action, note: note.value.trim() } });
    } catch (error) {
      message.textContent = error instanceof NetworkError ? t('reviews.offline') : error instanceof HttpError ? error.message : String(error);
      return;
    }
    ctx.flash(t(`reviews.done_${action}`));
    ctx.rerender();
  };
  return h('section', { class: 'workflow', 'aria-label': t('reviews.controls') }, h('h2', {}, t('reviews.controls')),
    field(t('reviews.review_note'), note), message,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => send('approve') }, t('reviews.approve')),
      h('button', { type: 'button', class: 'secondary', onclick: () => send('request_reinspection') }, t('reviews.request_reinspection'))));
}

export async function recordReviewScreen(ctx, kind, id) {
  let record;
  try {
    record = await apiFetch(`/api/${kind}s/${id}`);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return h('p', { class: 'notice warn', role: 'status' }, t('queue.offline'));
  }
  const facts = kind === 'visit' ? visitFacts(record) : inspectionFacts(record);
  return h('section', { class: 'detail review' },
    h('a', { href: `/app/reviews/${kind}s`, 'data-link': true, class: 'button secondary back' }, t('reviews.back')),
    h('h1', {}, t(`entity.${kind}`), ' · ', villageName(record.village)),
    h('dl', {}, facts.flat().filter(Boolean)), await photoGallery(record.photos),
    kind === 'inspection' && record.may_review ? reviewControls(ctx, record) : null,
    record.village ? h('p', {}, h('a', { href: `/app/village/${record.village.id}/clean-tidy`, 'data-link': true, class: 'button secondary' },
      t('cleantidy.open'))) : null);
}
