import { describe, expect, it } from 'vitest';
import { MAX_CANVAS_PIXELS, capPixels, fitWithin, resizePlan } from '../src/photos/sizing.js';

const SIZES = [
  [4000, 3000], // 12 MP phone photo
  [8064, 6048], // 48 MP iPhone photo
  [6048, 8064], // the same in portrait
  [12000, 9000], // 108 MP
  [20000, 1000], // panorama
  [1600, 1200], // already the target size
  [800, 600], // smaller than the target: never upscaled
  [1, 1],
];

describe('resizePlan', () => {
  it.each(SIZES)('never draws a canvas over the iOS limit (%i×%i)', (w, h) => {
    for (const step of resizePlan(w, h)) expect(step.width * step.height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS);
  });

  it.each(SIZES)('ends at most 1600 px on the longer side, same shape (%i×%i)', (w, h) => {
    const steps = resizePlan(w, h);
    const last = steps.at(-1);
    expect(Math.max(last.width, last.height)).toBeLessThanOrEqual(1600);
    expect(last).toEqual(fitWithin(w, h, 1600));
    expect(Math.abs(last.width / last.height - w / h)).toBeLessThan(0.05 * (w / h) + 0.01);
  });

  it.each(SIZES)('only ever shrinks, and never by more than half when the limit allows (%i×%i)', (w, h) => {
    let prev = { width: w, height: h };
    for (const step of resizePlan(w, h)) {
      expect(step.width).toBeLessThanOrEqual(prev.width);
      expect(step.height).toBeLessThanOrEqual(prev.height);
      if (prev.width * prev.height <= 4 * MAX_CANVAS_PIXELS) {
        expect(step.width * 2).toBeGreaterThanOrEqual(prev.width - 1);
      }
      prev = step;
    }
  });

  it('steps a 48 MP photo down through halves', () => {
    expect(resizePlan(8064, 6048)).toEqual([
      { width: 4032, height: 3024 },
      { width: 2016, height: 1512 },
      { width: 1600, height: 1200 },
    ]);
  });

  it('re-encodes a small photo once at its own size', () => {
    expect(resizePlan(800, 600)).toEqual([{ width: 800, height: 600 }]);
  });

  it('refuses an image without pixels', () => {
    expect(() => resizePlan(0, 100)).toThrow(RangeError);
  });
});

describe('capPixels', () => {
  it('keeps sizes under the limit as they are', () => {
    expect(capPixels(4000, 3000)).toEqual({ width: 4000, height: 3000 });
  });

  it('shrinks a 108 MP image under the limit, keeping its shape', () => {
    const { width, height } = capPixels(12000, 9000);
    expect(width * height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS);
    expect(width * height).toBeGreaterThan(MAX_CANVAS_PIXELS * 0.999);
    expect(width / height).toBeCloseTo(12000 / 9000, 2);
  });
});
