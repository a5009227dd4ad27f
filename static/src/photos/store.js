/** Photos on the phone, by SHA-256: the upload-size JPEG until the server has it, and a thumbnail. */
import { getDb } from '../data/db.js';

/** Keep a resized photo; the same bytes twice are stored once. */
export async function keepPhoto({ sha256, blob, thumb, width, height }) {
  const db = await getDb();
  const tx = db.transaction('photos', 'readwrite');
  const existing = await tx.store.get(sha256);
  if (!existing) {
    await tx.store.put({ sha256, blob, thumb, width, height, size: blob.size, uploaded: false,
      uploaded_at: null, created_at: new Date().toISOString() });
  }
  await tx.done;
  return sha256;
}

export async function getPhoto(sha256) {
  return (await getDb()).get('photos', sha256);
}

/** An unsaved form's photo is kept this long before it counts as abandoned. */
export const ABANDONED_AFTER_MS = 24 * 3600 * 1000;

/**
 * The photos records name: `sent` by queued records and the outbox (to upload), `kept` also
 * by drafts (never deleted).
 */
async function referencedPhotos(db) {
  const [records, outbox] = await Promise.all([db.getAll('records'), db.getAll('outbox')]);
  const sent = new Set();
  const kept = new Set();
  for (const record of records) {
    const shas = [...(record.server?.photos ?? []), ...(record.pending?.photos ?? [])].map((p) => p.sha256);
    for (const sha of shas) {
      kept.add(sha);
      if (record.queued) sent.add(sha);
    }
  }
  for (const entry of outbox) for (const p of entry.photos ?? []) if (!p.remove) sent.add(p.sha256);
  return { sent, kept };
}

/** Photos a queued record names whose bytes have not reached the server yet. */
export async function photosToUpload() {
  const db = await getDb();
  const { sent } = await referencedPhotos(db);
  return (await db.getAll('photos')).filter((p) => !p.uploaded && p.blob && sent.has(p.sha256));
}

/** Photos taken in a form that was never saved, a day ago or more: nothing needs them. */
export async function dropAbandonedPhotos(now = Date.now()) {
  const db = await getDb();
  const { kept } = await referencedPhotos(db);
  const abandoned = (await db.getAll('photos')).filter((p) => !p.uploaded && !kept.has(p.sha256)
    && now - Date.parse(p.created_at) > ABANDONED_AFTER_MS);
  const tx = db.transaction('photos', 'readwrite');
  for (const photo of abandoned) await tx.store.delete(photo.sha256);
  await tx.done;
  return abandoned.length;
}

/** The server holds every byte now: no local record should list the photo as missing. */
export async function markUploaded(sha256) {
  const db = await getDb();
  const tx = db.transaction(['photos', 'records'], 'readwrite');
  const photos = tx.objectStore('photos');
  const photo = await photos.get(sha256);
  if (photo) await photos.put({ ...photo, uploaded: true, uploaded_at: new Date().toISOString() });
  let cursor = await tx.objectStore('records').openCursor();
  while (cursor) {
    const missing = cursor.value.server?.missing_photos;
    if (missing?.includes(sha256)) {
      await cursor.update({ ...cursor.value,
        server: { ...cursor.value.server, missing_photos: missing.filter((s) => s !== sha256) } });
    }
    cursor = await cursor.continue();
  }
  await tx.done;
}

/**
 * After a pull, agree with the server about photos: one it still lists as missing is uploaded
 * again while the phone has the bytes; one it has (upload finished, not listed missing) gives
 * its full-size bytes back to the phone, keeping the thumbnail for display.
 */
export async function reconcilePhotos() {
  const db = await getDb();
  const tx = db.transaction(['photos', 'records'], 'readwrite');
  const missing = new Set();
  for (const record of await tx.objectStore('records').getAll()) {
    for (const sha of record.server?.missing_photos ?? []) missing.add(sha);
  }
  const result = { released: 0, again: 0 };
  let cursor = await tx.objectStore('photos').openCursor();
  while (cursor) {
    const photo = cursor.value;
    if (photo.uploaded && photo.blob && missing.has(photo.sha256)) {
      await cursor.update({ ...photo, uploaded: false });
      result.again += 1;
    } else if (photo.uploaded && photo.blob) {
      await cursor.update({ ...photo, blob: null });
      result.released += 1;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return result;
}

/** SHA-256 of the photos taken on this phone whose upload has not finished. */
export async function waitingPhotoShas() {
  const photos = await (await getDb()).getAll('photos');
  return new Set(photos.filter((p) => !p.uploaded).map((p) => p.sha256));
}
