/** Pick a village of the official's districts, offline: search by Thai name or หมู่ที่. */
import { t } from '../i18n.js';
import { villages } from '../data/mirror.js';
import { field, h, replace } from './dom.js';

/** How a village is named in lists: "หมู่ 3 บ้านดอนทอง". */
export function villageLabel(village) {
  if (!village) return '';
  return `${t('village.moo')} ${village.moo} ${village.name_th}${village.name_en ? ` (${village.name_en})` : ''}`;
}

/** Villages matching the search: the name contains it, or หมู่ที่ equals it. */
export function matchVillages(list, query) {
  const q = query.trim().toLowerCase().replace(/^(หมู่ที่|หมู่|ม\.)\s*/, '');
  if (!q) return list;
  return list.filter((v) => String(v.moo) === q || v.name_th.includes(q) || (v.name_en ?? '').toLowerCase().includes(q));
}

/** The picker; `values.village_id` is set when the official chooses (and `onChange` told). */
export async function villagePicker(session, values, { errors, onChange = () => {} } = {}) {
  const all = await villages(session.user?.district_codes);
  const select = h('select', { name: 'village_id', required: true });
  const draw = (query) => {
    const found = matchVillages(all, query);
    replace(select, h('option', { value: '' }, found.length ? t('village.choose') : t('village.none_found')),
      found.map((v) => h('option', { value: v.id, selected: v.id === values.village_id }, villageLabel(v))));
    if (found.length === 1 && query && values.village_id !== found[0].id) {
      select.value = found[0].id; values.village_id = found[0].id; onChange(values.village_id);
    }
  };
  select.addEventListener('change', () => { values.village_id = select.value || null; onChange(values.village_id); });
  const search = h('input', { type: 'search', autocomplete: 'off', oninput: (e) => draw(e.target.value) });
  draw('');
  if (!all.length) {
    return h('div', { class: 'notice warn', role: 'alert' }, t('village.no_data'));
  }
  return h('div', { class: 'village-picker' },
    field(t('village.search'), search, { hint: t('village.search_hint') }),
    field(t('village.label'), select, { errors }));
}
