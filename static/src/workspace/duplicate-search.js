/**
 * Marking a concern a duplicate: the open concerns of the same category nearby, nearest
 * first, searchable by their words; the supervisor picks the original.
 */
import { apiFetch, NetworkError } from '../api.js';
import { formatDate, t } from '../i18n.js';
import { h, replace, uid } from '../ui/dom.js';

/** The candidates whose summary or village contains the search text. */
export function matchCandidates(list, text) {
  const q = text.trim().toLowerCase();
  if (!q) return list;
  return list.filter((c) => `${c.summary ?? ''} ${c.village?.name_th ?? ''} ${c.village?.name_en ?? ''}`.toLowerCase().includes(q));
}

export async function duplicateSearch(detail, values) {
  let candidates = [];
  let offline = false;
  try {
    candidates = (await apiFetch(`/api/concerns/${detail.id}/nearby?radius_m=2000&same_category=true&open=true`))
      .filter((c) => c.id !== detail.id);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    offline = true;
  }
  const name = uid('dup');
  const list = h('div', { class: 'candidates', role: 'radiogroup', 'aria-label': t('step.duplicate_of') });
  const draw = (text) => {
    const found = matchCandidates(candidates, text);
    replace(list, found.length ? found.map((c) => h('label', { class: 'check candidate' },
      h('input', { type: 'radio', name, value: c.id, checked: values.duplicate_of_id === c.id,
        onchange: () => { values.duplicate_of_id = c.id; } }),
      h('span', {}, c.summary, ' · ', t('step.distance', { m: Math.round(c.distance_m ?? 0) }), ' · ',
        t(`status.${c.status}`), ' · ', formatDate(c.reported_at ?? c.created_at))))
      : h('p', { class: 'empty' }, offline ? t('step.duplicate_offline') : t('step.no_duplicates')));
  };
  const search = h('input', { type: 'search', autocomplete: 'off', 'aria-label': t('step.duplicate_search'),
    oninput: (e) => draw(e.target.value) });
  draw('');
  return h('fieldset', { class: 'duplicate-search' }, h('legend', {}, t('step.duplicate_of')), search, list);
}
