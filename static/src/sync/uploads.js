/** Photo uploads with tus-js-client, resumable across app restarts. */
import { Upload } from 'tus-js-client';
import { authHeaders, AuthError, NetworkError } from '../api.js';
import { markUploaded, photosToUpload } from '../photos/store.js';

export const UPLOAD_PATH = '/api/uploads/';
const CHUNK_SIZE = 256 * 1024;

/** A photo's identity for resuming: its content, so two photos of one size never mix. */
export function uploadFingerprint(sha256, endpoint = UPLOAD_PATH) {
  return `fieldapp-tus-${sha256}-${endpoint}`;
}

function statusOf(error) {
  return error?.originalResponse?.getStatus?.() ?? 0;
}

/** Upload one photo; resolves when the server holds every byte. */
export function uploadPhoto(photo, { onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const upload = new Upload(photo.blob, {
      // Absolute: tus resolves the server's relative Location header against it.
      endpoint: new URL(UPLOAD_PATH, self.location.href).href,
      // Small chunks: on 2G a dropped connection costs at most one chunk.
      chunkSize: CHUNK_SIZE,
      retryDelays: [0, 1000, 3000, 10000],
      headers: authHeaders(),
      metadata: { filename: `${photo.sha256}.jpg`, filetype: 'image/jpeg', sha256: photo.sha256 },
      fingerprint: async () => uploadFingerprint(photo.sha256),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // Retrying cannot fix a refused token or a refused photo.
      onShouldRetry: (error) => { const s = statusOf(error); return !(s >= 400 && s < 500 && s !== 409 && s !== 423); },
      onProgress: (sent, total) => onProgress?.(sent, total),
      onSuccess: () => resolve(),
      onError: (error) => {
        const status = statusOf(error);
        if (status === 401) reject(new AuthError('unauthorized'));
        else if (!status) reject(new NetworkError(error?.message || 'upload failed'));
        else reject(Object.assign(new Error(error?.message || `upload refused (${status})`), { status }));
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    }, reject);
  });
}

/** A server answer that may pass by itself (5xx, busy, locked, too many requests): try later. */
export function isTemporary(status) {
  return !status || status >= 500 || [408, 409, 423, 429].includes(status);
}

/**
 * Upload every photo not yet on the server, one at a time (a weak link shared by several
 * uploads finishes none). A photo the server refuses is skipped and reported, not retried
 * forever; one that met a temporary server error waits for the next try (`retry`).
 */
export async function uploadPhotos({ onProgress } = {}) {
  const result = { uploaded: 0, refused: [], retry: [] };
  for (const photo of await photosToUpload()) {
    try {
      await uploadPhoto(photo, { onProgress: (sent, total) => onProgress?.(photo.sha256, sent, total) });
    } catch (error) {
      if (error instanceof AuthError || error instanceof NetworkError) throw error;
      if (isTemporary(error.status)) {
        result.retry.push({ sha256: photo.sha256, status: error.status });
        continue;
      }
      result.refused.push({ sha256: photo.sha256, status: error.status, message: error.message });
      continue;
    }
    await markUploaded(photo.sha256);
    result.uploaded += 1;
  }
  return result;
}
