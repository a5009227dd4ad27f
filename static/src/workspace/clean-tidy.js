/** A village's Clean & Tidy history: a table and a small chart, oldest first. */
import { apiFetch, NetworkError } from '../api.js';
import { formatDate, t } from '../i18n.js';
import { village as localVillage } from '../data/mirror.js';
import { h } from '../ui/dom.js';
import { villageLabel } from '../ui/village-picker.js';
import { lineChart } from './chart.js';

export async function cleanTidyScreen(ctx, villageId) {
  let history;
  try {
    history = await apiFetch(`/api/villages/${villageId}/clean-tidy`);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return h('p', { class: 'notice warn', role: 'status' }, t('queue.offline'));
  }
  const name = villageLabel(await localVillage(villageId)) || villageId;
  const title = t('cleantidy.title', { village: name });
  return h('section', { class: 'clean-tidy' }, h('h1', {}, title),
    history.length ? [
      h('figure', {}, lineChart(history, t('cleantidy.chart', { village: name })), h('figcaption', { class: 'hint' }, t('cleantidy.caption'))),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'visually-hidden' }, title),
        h('thead', {}, h('tr', {}, ['cleantidy.date', 'inspection.place_name', 'inspection.place_type', 'cleantidy.score', 'inspection.grade']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, history.map((row) => h('tr', {},
          h('td', {}, h('a', { href: `/app/review/inspection/${row.inspection_id}`, 'data-link': true }, formatDate(row.inspected_at))),
          h('td', {}, row.place_name), h('td', {}, t(`place.${row.place_type}`)),
          h('td', {}, `${row.total}/${row.max_total} (${Math.round(row.percent)}%)`), h('td', {}, row.grade))))))]
      : h('p', { class: 'empty' }, t('cleantidy.none')));
}
