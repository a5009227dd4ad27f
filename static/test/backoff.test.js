import { describe, expect, it } from 'vitest';
import { BASE_DELAY_MS, MAX_DELAY_MS, retryDelay } from '../src/sync/backoff.js';

describe('retryDelay', () => {
  it('doubles the ceiling on every attempt', () => {
    const top = () => 1;
    expect(retryDelay(0, top)).toBe(BASE_DELAY_MS);
    expect(retryDelay(1, top)).toBe(2 * BASE_DELAY_MS);
    expect(retryDelay(3, top)).toBe(8 * BASE_DELAY_MS);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelay(40, () => 1)).toBe(MAX_DELAY_MS);
  });

  it('keeps at least half of the ceiling (full jitter above a floor)', () => {
    expect(retryDelay(2, () => 0)).toBe(2 * BASE_DELAY_MS);
  });
});
