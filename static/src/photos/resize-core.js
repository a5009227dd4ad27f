/** Decode, step down and encode a photo; shared by the worker and the main-thread fallback. */
import { JPEG_QUALITY, MAX_SIDE, THUMB_SIDE, resizePlan } from './sizing.js';

function makeCanvas(width, height) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encode(canvas, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encode failed'))), 'image/jpeg', quality);
  });
}

/** Draw `source` through each planned size; no canvas ever exceeds the iOS pixel limit. */
function stepDown(source, width, height, maxSide) {
  let current = source;
  let canvas = null;
  for (const step of resizePlan(width, height, { maxSide })) {
    canvas = makeCanvas(step.width, step.height);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(current, 0, 0, step.width, step.height);
    current = canvas;
  }
  return canvas;
}

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A camera photo (any size) -> upload JPEG (≤1600 px), thumbnail (≤320 px) and its SHA-256. */
export async function resizePhoto(file, { maxSide = MAX_SIDE, quality = JPEG_QUALITY } = {}) {
  // EXIF orientation is applied while decoding, so portrait photos stay upright.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const full = stepDown(bitmap, bitmap.width, bitmap.height, maxSide);
    const thumb = stepDown(full, full.width, full.height, THUMB_SIDE);
    const [blob, thumbBlob] = await Promise.all([encode(full, quality), encode(thumb, 0.7)]);
    return { blob, thumb: thumbBlob, width: full.width, height: full.height, sha256: await sha256Hex(blob) };
  } finally {
    bitmap.close?.();
  }
}
