/**
 * Capture provenance, kept on the phone before resizing drops the EXIF (docs/sync-protocol.md,
 * "Photo references"): when and where the original says it was taken and by which camera
 * (read with exifr), and where and when the phone was when the photo was attached.
 */
import { isoWithOffset } from '../data/records.js';

const EXIF_OPTIONS = { ifd0: true, exif: true, gps: true, ifd1: false, interop: false, xmp: false,
  icc: false, iptc: false, jfif: false, reviveValues: false };

/** "2026:03:14 09:30:00" (+ "+07:00") as ISO 8601 with an offset; without one, the phone's own. */
export function exifTime(raw, offset) {
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(raw ?? ''));
  if (!match || match[1] === '0000') return null;
  const [, y, mo, d, hh, mi, ss] = match;
  const local = `${y}-${mo}-${d}T${hh}:${mi}:${ss}`;
  if (/^[+-]\d{2}:\d{2}$/.test(offset ?? '')) return `${local}${offset}`;
  // The camera wrote local time without a zone: the phone's zone at that moment is the guess.
  const guess = new Date(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi), Number(ss));
  return Number.isNaN(guess.getTime()) ? null : isoWithOffset(guess);
}

const text = (value) => (typeof value === 'string' && value.replace(/\0/g, '').trim().slice(0, 100)) || null;
const coordinate = (value, limit) => (Number.isFinite(value) && Math.abs(value) <= limit ? value : null);

/** EXIF tags (as exifr gives them, dates unrevived) and its GPS -> the reference's `exif`. */
export function exifFacts(tags, gps) {
  let lat = coordinate(gps?.latitude, 90);
  let lon = coordinate(gps?.longitude, 180);
  if (lat === null || lon === null || (lat === 0 && lon === 0)) { lat = null; lon = null; } // 0/0: no fix
  const taken = exifTime(tags?.DateTimeOriginal ?? tags?.CreateDate, tags?.OffsetTimeOriginal ?? tags?.OffsetTime);
  const facts = { taken_at: taken, gps_lat: lat, gps_lon: lon, make: text(tags?.Make), model: text(tags?.Model) };
  return Object.values(facts).some((v) => v !== null) ? facts : null;
}

/** The original file's EXIF, or null (not a JPEG/HEIC with EXIF, or unreadable). */
export async function readExif(file) {
  try {
    const { default: exifr } = await import('exifr/dist/lite.esm.mjs');
    // Only the blocks the lite build knows; dates stay text so their offset can be kept.
    const tags = await exifr.parse(file, EXIF_OPTIONS);
    return tags ? exifFacts(tags, tags) : null;
  } catch {
    return null;
  }
}

/** The phone's position now, or null if it has none within a few seconds (or may not ask). */
export function phonePosition(timeout = 8000) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy_m: Math.round(pos.coords.accuracy) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout, maximumAge: 60000 },
    );
  });
}

/** Everything the reference carries: `exif` from the original, `attached` from the phone. */
export async function captureOf(file, now = new Date()) {
  const [exif, position] = await Promise.all([readExif(file), phonePosition()]);
  return { exif, attached: { at: isoWithOffset(now), ...(position ?? {}) } };
}
