/**
 * The supervisor's concern queue as an address: the filters, sort and page live in the URL
 * (/app/queue?status=new&district=6501&sort=due&page=2), so a reload, the back button and a
 * language switch keep them. Pure: no DOM, no IndexedDB.
 */

export const QUEUE_STATUSES = ['new', 'accepted', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate'];
/** The tabs: every open concern, then one per status. */
export const OPEN_STATUSES = ['new', 'accepted', 'in_progress'];
export const QUEUE_TABS = ['open', ...QUEUE_STATUSES];
export const TEXT_MIN = 3;
export const FILTERS = ['category', 'district', 'subdistrict', 'village', 'urgency', 'priority', 'assignee', 'overdue', 'q'];
export const SORTS = ['oldest', 'newest', 'due'];
export const PER_PAGE = 20;

/** The queue's state read from an address's query (unknown values fall back to the defaults). */
export function queueFilters(params) {
  const status = QUEUE_TABS.includes(params.get('status')) ? params.get('status') : 'new';
  const sort = SORTS.includes(params.get('sort')) ? params.get('sort') : 'oldest';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const filters = { status, sort, page };
  for (const name of FILTERS) {
    const value = (params.get(name) ?? '').trim();
    if (value) filters[name] = value;
  }
  if (filters.overdue && filters.overdue !== 'true') delete filters.overdue;
  // The server matches text by trigrams: fewer than three characters is no text filter.
  if (filters.q && filters.q.length < TEXT_MIN) delete filters.q;
  return filters;
}

function search(filters) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  return params;
}

/** The API call for a page of the queue (GET /api/concerns, docs/architecture.md). */
export function queueApiPath(filters, perPage = PER_PAGE) {
  const status = filters.status === 'open' ? OPEN_STATUSES.join(',') : filters.status;
  const params = search({ ...filters, status, per_page: perPage });
  return `/api/concerns?${params}`;
}

/**
 * The address of the queue with some filters changed. Changing a filter or the sort goes back
 * to page 1; `null` or '' removes a filter. The default tab and sort stay out of the address.
 */
export function queueHref(filters, changes = {}, base = '/app/queue') {
  const next = { ...filters, ...changes };
  if (!('page' in changes)) next.page = 1;
  if (next.page === 1) delete next.page;
  if (next.sort === 'oldest') delete next.sort;
  if (next.status === 'new') delete next.status;
  const params = search(next);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** How many pages `total` items make, at least one. */
export function pageCount(total, perPage = PER_PAGE) {
  return Math.max(1, Math.ceil((total ?? 0) / perPage));
}

/** The filters actually narrowing the list (for "clear filters" and the summary line). */
export function activeFilters(filters) {
  return FILTERS.filter((name) => filters[name]);
}

/** The count a tab shows, from the answer's `counts` (the open tab adds up its statuses). */
export function tabCount(counts, tab) {
  if (!counts) return null;
  if (tab === 'open') return OPEN_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  return counts[tab] ?? 0;
}
