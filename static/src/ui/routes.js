/** Addresses under /app/ and the screen each one shows (screens load on demand). */

const ROUTES = [
  [/^\/(app\/?)?(home)?$/, () => import('./home.js').then((m) => (ctx) => m.homeScreen(ctx))],
  [/^\/app\/visit\/(new|[\w-]+)$/, () => import('./visit-form.js').then((m) => (ctx, id) => m.visitForm(ctx, id))],
  [/^\/app\/inspection\/(new|[\w-]+)$/, () => import('./inspection-form.js').then((m) => (ctx, id) => m.inspectionForm(ctx, id))],
  [/^\/app\/concern\/(new|[\w-]+)$/, () => import('./concern-form.js').then((m) => (ctx, id) => m.concernForm(ctx, id))],
  [/^\/app\/records$/, () => import('./records-list.js').then((m) => (ctx) => m.recordsScreen(ctx))],
  [/^\/app\/assigned$/, () => import('./records-list.js').then((m) => (ctx) => m.assignedScreen(ctx))],
  [/^\/app\/record\/([\w-]+)$/, () => import('./detail.js').then((m) => (ctx, id) => m.detailScreen(ctx, id))],
  // Supervisors' and admins' screens: separate chunks, so officials never load them (precached all the same).
  [/^\/app\/queue(?:\/([\w-]+))?$/, () => import('../workspace/queue.js').then((m) => (ctx, id) => m.queueScreen(ctx, id))],
  [/^\/app\/reviews\/(visits|inspections)$/, () => import('../workspace/reviews.js').then((m) => (ctx, kind) => m.reviewsScreen(ctx, kind))],
  [/^\/app\/review\/(visit|inspection)\/([\w-]+)$/, () => import('../workspace/record-review.js').then((m) => (ctx, kind, id) => m.recordReviewScreen(ctx, kind, id))],
  [/^\/app\/village\/([\w-]+)\/clean-tidy$/, () => import('../workspace/clean-tidy.js').then((m) => (ctx, id) => m.cleanTidyScreen(ctx, id))],
  [/^\/app\/admin\/users\/(new|\d+)$/, () => import('../workspace/admin-user-form.js').then((m) => (ctx, id) => m.userFormScreen(ctx, id))],
  [/^\/app\/admin\/users$/, () => import('../workspace/admin-users.js').then((m) => (ctx) => m.usersScreen(ctx))],
  [/^\/app\/admin\/audit$/, () => import('../workspace/admin-audit.js').then((m) => (ctx) => m.auditScreen(ctx))],
  [/^\/app\/admin\/devices$/, () => import('../workspace/admin-devices.js').then((m) => (ctx) => m.devicesScreen(ctx))],
  // Surveys (issue 16): the engine comes with the form screen only (a chunk of its own).
  [/^\/app\/surveys$/, () => import('./surveys.js').then((m) => (ctx) => m.surveysScreen(ctx))],
  [/^\/app\/survey\/(new|[\w-]+)$/, () => import('./survey-form.js').then((m) => (ctx, id) => m.surveyForm(ctx, id))],
  [/^\/app\/surveys\/results\/([\w-]+)$/, () => import('../workspace/survey-results.js').then((m) => (ctx, key) => m.surveyResultsScreen(ctx, key))],
  [/^\/app\/admin\/forms$/, () => import('../workspace/admin-forms.js').then((m) => (ctx) => m.formsScreen(ctx))],
  [/^\/app\/dashboard$/, () => import('./dashboard.js').then((m) => (ctx) => m.dashboardScreen(ctx))],
];

/** The screen function for a path; unknown paths show home. */
export function routeFor(pathname) {
  for (const [pattern, load] of ROUTES) {
    const match = pathname.match(pattern);
    if (match) {
      const id = match[1] && match[1] !== 'new' && !match[1].startsWith('app') ? match[1] : null;
      return async (ctx) => (await load())(ctx, id, match[2] ?? null);
    }
  }
  return async (ctx) => (await ROUTES[0][1]())(ctx);
}

/** Form screens: background events never redraw them (typed input would be lost). */
export function isForm(pathname) {
  return /^\/app\/(visit|inspection|concern|survey)\//.test(pathname) || isWorkspace(pathname);
}

/**
 * Supervisors' and admins' screens read the server and hold filters and step forms: a sync
 * or network change does not redraw them (they redraw themselves after a step is sent).
 */
export function isWorkspace(pathname) {
  return /^\/app\/(queue|reviews|review|village|admin|surveys\/results)(\/|$)/.test(pathname);
}

/**
 * The main menu for a role: officials keep theirs; supervisors and admins get the queue and
 * reviews (their own concerns are in the queue under "assigned to me"), admins the people.
 * Each item: address, label key, and the address prefixes it stands for.
 */
export function menuFor(role) {
  if (role !== 'supervisor' && role !== 'admin') {
    return [['/app', 'nav.home', []], ['/app/records', 'nav.records', ['/app/record']], ['/app/assigned', 'nav.assigned', []]];
  }
  const items = [['/app', 'nav.home', []], ['/app/queue', 'nav.queue', []],
    ['/app/reviews/inspections', 'nav.reviews', ['/app/reviews', '/app/review/', '/app/village/']],
    ['/app/records', 'nav.records', ['/app/record']]];
  if (role === 'admin') items.push(['/app/admin/users', 'nav.admin', ['/app/admin']]);
  return items;
}

/** Whether a menu item stands for the screen at `pathname`. */
export function isCurrent([href, , prefixes], pathname) {
  if (href === '/app') return /^\/(app\/?)?(home)?$/.test(pathname);
  return pathname === href || pathname.startsWith(`${href}/`) || prefixes.some((p) => pathname.startsWith(p));
}
