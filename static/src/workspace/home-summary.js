/** The supervisor's and admin's home card: overdue, new, assigned to me, reviews waiting (GET /api/me/summary). */
import { apiFetch, NetworkError } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../ui/dom.js';

const LINKS = [
  ['overdue', '/app/queue?status=open&overdue=true', 'summary.overdue'],
  ['new', '/app/queue', 'summary.new'],
  ['assigned_to_me', '/app/queue?status=open&assignee=me', 'summary.assigned_to_me'],
  ['inspections_to_review', '/app/reviews/inspections?review=pending', 'summary.inspections_to_review'],
];

export async function summaryCard() {
  let summary;
  try {
    summary = await apiFetch('/api/me/summary');
  } catch (error) {
    // Home must always open: without the summary the rest of it still works.
    return h('p', { class: 'notice warn', role: 'status' }, t(error instanceof NetworkError ? 'summary.offline' : 'summary.unavailable'));
  }
  return h('nav', { class: 'summary-card', 'aria-label': t('summary.title') }, h('h2', {}, t('summary.title')),
    h('ul', {}, LINKS.map(([key, href, label]) => h('li', { class: key === 'overdue' && summary[key] ? 'alarm' : null },
      h('a', { href, 'data-link': true, id: `summary-${key}`, 'data-count': summary[key] ?? 0 },
        h('span', { class: 'count' }, String(summary[key] ?? 0)), ' ', t(label))))));
}
