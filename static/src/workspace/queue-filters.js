/** The queue's filter and sort form; applying it changes the address (filters live in the URL). */
import { localName, t } from '../i18n.js';
import { categories } from '../data/mirror.js';
import { enumeration } from '../data/meta.js';
import { field, h } from '../ui/dom.js';
import { villageLabel } from '../ui/village-picker.js';
import { PRIORITIES } from '../data/workflow.js';
import { activeFilters, queueHref, SORTS, TEXT_MIN } from '../data/queue-query.js';

function choice(name, label, options, selected) {
  const select = h('select', { name },
    h('option', { value: '' }, t('queue.any')),
    options.map(([value, text]) => h('option', { value, selected: String(value) === String(selected ?? '') }, text)));
  return field(label, select);
}

/** The form; `base` is the queue's address. */
export async function queueFilterForm(ctx, filters, places) {
  const cats = await categories();
  const subdistricts = places.subdistricts.filter((s) => !filters.district || s.district_code === filters.district);
  const villageList = places.villages.filter((v) => (!filters.district || v.district_code === filters.district)
    && (!filters.subdistrict || v.subdistrict_code === filters.subdistrict));
  const text = h('input', { type: 'search', name: 'q', value: filters.q ?? '', autocomplete: 'off', minlength: TEXT_MIN, maxlength: 200 });
  const overdue = h('input', { type: 'checkbox', name: 'overdue', value: 'true', checked: filters.overdue === 'true' });
  const form = h('form', { class: 'queue-filters', role: 'search', 'aria-label': t('queue.filters'),
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const changes = {};
      for (const name of ['q', 'category', 'district', 'subdistrict', 'village', 'urgency', 'priority', 'assignee', 'sort']) {
        changes[name] = data.get(name) || null;
      }
      changes.overdue = data.get('overdue') ? 'true' : null;
      ctx.navigate(queueHref(filters, changes));
    } },
  field(t('queue.search'), text, { hint: t('queue.search_hint') }),
  h('div', { class: 'filter-grid' },
    choice('category', t('concern.category'), cats.map((c) => [c.code, localName(c)]), filters.category),
    choice('district', t('queue.district'), places.districts.map((d) => [d.code, localName(d)]), filters.district),
    choice('subdistrict', t('queue.subdistrict'), subdistricts.map((s) => [s.code, localName(s)]), filters.subdistrict),
    choice('village', t('village.label'), villageList.map((v) => [v.id, villageLabel(v)]), filters.village),
    choice('urgency', t('concern.urgency'), enumeration('urgencies').map((u) => [u, t(`urgency.${u}`)]), filters.urgency),
    choice('priority', t('concern.priority'), PRIORITIES.map((p) => [p, t('priority.n', { n: p })]), filters.priority),
    choice('assignee', t('concern.assignee'), [['me', t('queue.assignee_me')], ['none', t('queue.assignee_none')]], filters.assignee),
    field(t('queue.sort'), h('select', { name: 'sort' },
      SORTS.map((s) => h('option', { value: s, selected: s === filters.sort }, t(`queue.sort_${s}`)))))),
  h('div', { class: 'field check' }, h('label', {}, overdue, t('queue.only_overdue'))),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, t('queue.apply')),
    activeFilters(filters).length ? h('a', { href: queueHref({ status: filters.status, sort: filters.sort }), 'data-link': true,
      class: 'button secondary' }, t('queue.clear')) : null));
  // A choice applies at once; the text search on Enter or "Apply".
  form.addEventListener('change', (event) => { if (event.target.name !== 'q') form.requestSubmit(); });
  return h('details', { class: 'filters', open: activeFilters(filters).length > 0 },
    h('summary', {}, t('queue.filters'), activeFilters(filters).length ? ` (${activeFilters(filters).length})` : ''), form);
}
