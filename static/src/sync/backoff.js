/** Exponential backoff with jitter for sync retries. */

export const BASE_DELAY_MS = 2_000;
export const MAX_DELAY_MS = 5 * 60_000;

/**
 * How long to wait before retry number `attempt` (0 = first retry).
 * Full jitter spreads many phones coming back online at once; the floor keeps a retry useful.
 */
export function retryDelay(attempt, random = Math.random, base = BASE_DELAY_MS, max = MAX_DELAY_MS) {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
