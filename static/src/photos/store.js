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

/** Photos whose bytes have not reached the server yet. */
export async function photosToUpload() {
  const all = await (await getDb()).getAll('photos');
  return all.filter((p) => !p.uploaded && p.blob);
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
