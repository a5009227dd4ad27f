/** Addresses under /app/ and the screen each one shows (screens load on demand). */

const ROUTES = [
  [/^\/(app\/?)?(home)?$/, () => import('./home.js').then((m) => (ctx) => m.homeScreen(ctx))],
  [/^\/app\/visit\/(new|[\w-]+)$/, () => import('./visit-form.js').then((m) => (ctx, id) => m.visitForm(ctx, id))],
  [/^\/app\/inspection\/(new|[\w-]+)$/, () => import('./inspection-form.js').then((m) => (ctx, id) => m.inspectionForm(ctx, id))],
  [/^\/app\/concern\/(new|[\w-]+)$/, () => import('./concern-form.js').then((m) => (ctx, id) => m.concernForm(ctx, id))],
  [/^\/app\/records$/, () => import('./records-list.js').then((m) => (ctx) => m.recordsScreen(ctx))],
  [/^\/app\/assigned$/, () => import('./records-list.js').then((m) => (ctx) => m.assignedScreen(ctx))],
  [/^\/app\/record\/([\w-]+)$/, () => import('./detail.js').then((m) => (ctx, id) => m.detailScreen(ctx, id))],
  [/^\/app\/dashboard$/, () => import('./dashboard.js').then((m) => (ctx) => m.dashboardScreen(ctx))],
];

/** The screen function for a path; unknown paths show home. */
export function routeFor(pathname) {
  for (const [pattern, load] of ROUTES) {
    const match = pathname.match(pattern);
    if (match) {
      const id = match[1] && match[1] !== 'new' && !match[1].startsWith('app') ? match[1] : null;
      return async (ctx) => (await load())(ctx, id);
    }
  }
  return async (ctx) => (await ROUTES[0][1]())(ctx);
}

/** Form screens: background events never redraw them (typed input would be lost). */
export function isForm(pathname) {
  return /^\/app\/(visit|inspection|concern)\//.test(pathname);
}
