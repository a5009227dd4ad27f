/** Pull the server's changes after our cursor until it has no more. */
import { apiFetch } from '../api.js';
import { applyPullPage, pullCursor, resetMirror } from '../data/mirror.js';

export const PAGE_SIZE = 500;
const MAX_RESETS = 2;

/** Pull every page; returns how many records were created, updated, deleted or in conflict. */
export async function pullChanges({ pageSize = PAGE_SIZE } = {}) {
  const counts = { created: 0, updated: 0, deleted: 0, conflict: 0, skipped: 0, pages: 0 };
  let cursor = await pullCursor();
  let resets = 0;
  for (;;) {
    const page = await apiFetch(`/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${pageSize}`);
    if (page.reset) {
      // The server cannot serve this cursor: start over from 0, keeping everything unsynced.
      if (resets >= MAX_RESETS) throw new Error('the server keeps resetting the pull');
      resets += 1;
      await resetMirror();
      cursor = '0';
      continue;
    }
    // The cursor is opaque: stored and sent back as the server wrote it.
    const next = page.cursor ?? page.next_cursor;
    const pageCounts = await applyPullPage(page.changes ?? [], next);
    for (const key of Object.keys(pageCounts)) counts[key] += pageCounts[key];
    counts.pages += 1;
    cursor = next;
    if (!page.has_more) break;
  }
  return counts;
}
