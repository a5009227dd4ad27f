/**
 * Who a concern may go to, by name: the people the server says are eligible (active officials
 * and supervisors of the concern's district). Kept per district for a step made offline.
 */
import { apiFetch, NetworkError } from '../api.js';
import { kvGet, kvSet } from '../data/db.js';
import { rememberPeople } from '../data/people.js';
import { t } from '../i18n.js';
import { field, h } from '../ui/dom.js';

async function eligible(detail) {
  const key = `assignable:${detail.district_code}`;
  try {
    const people = await apiFetch(`/api/users/assignable?concern=${encodeURIComponent(detail.id)}`);
    await kvSet(key, people);
    await rememberPeople(people);
    return people;
  } catch (error) {
    // Offline: the people last seen for this district; the server refusing: nobody to offer.
    return error instanceof NetworkError ? (await kvGet(key)) ?? [] : [];
  }
}

/** A select of people by name; sets `values.assignee_id`. */
export async function assigneePicker(detail, values) {
  const people = (await eligible(detail)).slice().sort((a, b) => a.display_name.localeCompare(b.display_name, 'th'));
  const current = detail.assignee?.id ?? detail.assignee_id ?? null;
  values.assignee_id = current ?? '';
  const select = h('select', { name: 'assignee_id', onchange: (e) => { values.assignee_id = e.target.value; } },
    h('option', { value: '' }, people.length ? t('step.choose_person') : t('step.no_people')),
    people.map((p) => h('option', { value: p.id, selected: p.id === current },
      `${p.display_name} (${t(`role.${p.role}`)})`)));
  return field(t('concern.assignee'), select);
}
