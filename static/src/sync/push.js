/** Push the outbox: batches of mutations, each removed only once the server confirmed it. */
import { apiFetch, HttpError } from '../api.js';
import { applyPushResults, pendingMutations, rejectLocally, toWire } from '../data/store.js';

export const BATCH_SIZE = 50;

/** Send every pending mutation; returns what the server said, counted. */
export async function pushOutbox(deviceId, { batchSize = BATCH_SIZE } = {}) {
  const totals = { sent: 0, confirmed: 0, rejected: 0, conflict: 0 };
  const attempted = new Set();
  let size = batchSize;
  for (;;) {
    const batch = await pendingMutations(size, attempted);
    if (!batch.length) break;
    let response;
    try {
      response = await apiFetch('/api/sync/push', {
        method: 'POST', body: { device_id: deviceId, mutations: batch.map(toWire) }, gzip: true,
      });
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 413)) throw error;
      // Too big for the server's limits: halve the batch; a single mutation that is still
      // too big cannot succeed by retrying, so the official is asked to look at it.
      if (size > 1) {
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      await rejectLocally(batch[0], 'too_large', error.problem?.detail ?? '');
      totals.rejected += 1;
      continue;
    }
    for (const entry of batch) attempted.add(entry.mutation_id);
    const summary = await applyPushResults(batch, response.results ?? []);
    totals.sent += batch.length;
    totals.confirmed += summary.confirmed;
    totals.rejected += summary.rejected;
    totals.conflict += summary.conflict;
  }
  return totals;
}
