import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exifFacts, exifTime, readExif } from '../src/photos/provenance.js';
import { photoLink } from '../src/data/records.js';

const fixture = (name) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe('capture provenance', () => {
  it('reads the time, GPS and camera a phone wrote into the original', async () => {
    const exif = await readExif(fixture('exif-gps.jpg'));
    expect(exif.taken_at).toBe('2026-03-14T09:30:00+07:00');
    expect(exif.gps_lat).toBeCloseTo(16.8213, 4);
    expect(exif.gps_lon).toBeCloseTo(100.26, 4);
    expect([exif.make, exif.model]).toEqual(['Samsung', 'Galaxy A15']);
  });

  it('finds nothing in a JPEG without EXIF (as the resized upload is)', async () => {
    expect(await readExif(fixture('no-exif.jpg'))).toBeNull();
  });

  it('keeps an EXIF offset, and takes a camera without one as local time', () => {
    expect(exifTime('2026:03:14 09:30:00', '+07:00')).toBe('2026-03-14T09:30:00+07:00');
    expect(exifTime('2026:03:14 09:30:00', undefined)).toMatch(/^2026-03-14T09:30:00[+-]\d{2}:\d{2}$/);
    expect(exifTime('0000:00:00 00:00:00', '+07:00')).toBeNull();
    expect(exifTime(undefined)).toBeNull();
  });

  it('takes a 0/0 position for no fix, and nothing known for no EXIF', () => {
    expect(exifFacts({ Make: 'Apple' }, { latitude: 0, longitude: 0 })).toEqual(
      { taken_at: null, gps_lat: null, gps_lon: null, make: 'Apple', model: null });
    expect(exifFacts({}, null)).toBeNull();
  });

  it('sends the provenance with the photo reference', () => {
    const exif = { taken_at: '2026-03-14T09:30:00+07:00', gps_lat: 16.8, gps_lon: 100.2, make: null, model: null };
    const attached = { at: '2026-03-14T09:31:00+07:00', lat: 16.8, lon: 100.2, accuracy_m: 9 };
    expect(photoLink({ sha256: 'a'.repeat(64), role: 'after', exif, attached })).toEqual({
      sha256: 'a'.repeat(64), caption: '', position: 0, item_key: '', role: 'after', exif, attached });
    expect(photoLink({ sha256: 'a'.repeat(64) })).not.toHaveProperty('exif');
  });
});
