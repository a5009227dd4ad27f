/** Photo sizing maths: how to step a camera photo down to the upload size safely. */

/** iOS Safari draws nothing into a canvas larger than this many pixels. */
export const MAX_CANVAS_PIXELS = 16_777_216;
export const MAX_SIDE = 1600;
export const THUMB_SIDE = 320;
export const JPEG_QUALITY = 0.8;

/** The size that fits `width`×`height` inside `maxSide` on its longer side, never upscaling. */
export function fitWithin(width, height, maxSide) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** The largest size of the same shape whose area stays within `maxPixels`. */
export function capPixels(width, height, maxPixels = MAX_CANVAS_PIXELS) {
  if (width * height <= maxPixels) return { width, height };
  const scale = Math.sqrt(maxPixels / (width * height));
  let w = Math.max(1, Math.floor(width * scale));
  let h = Math.max(1, Math.floor(height * scale));
  // Rounding can still land one row over the limit; shave until it fits.
  while (w * h > maxPixels) {
    if (w >= h) w -= 1;
    else h -= 1;
  }
  return { width: w, height: h };
}

/**
 * The canvas sizes to draw through, in order, from a source image to at most `maxSide`.
 *
 * Each step at most halves the previous one (halving keeps the downscale sharp) and no
 * canvas ever exceeds `maxPixels`, so a 48 MP iPhone photo never comes out blank.
 * An image already small enough gives a single step of its own size (re-encoded once).
 */
export function resizePlan(width, height, { maxSide = MAX_SIDE, maxPixels = MAX_CANVAS_PIXELS } = {}) {
  if (!(width > 0 && height > 0)) throw new RangeError('image has no pixels');
  const target = fitWithin(width, height, maxSide);
  const steps = [];
  let current = { width, height };
  for (;;) {
    let next = {
      width: Math.max(target.width, Math.round(current.width / 2)),
      height: Math.max(target.height, Math.round(current.height / 2)),
    };
    next = capPixels(next.width, next.height, maxPixels);
    if (next.width <= target.width && next.height <= target.height) {
      steps.push(target);
      return steps;
    }
    steps.push(next);
    current = next;
  }
}
