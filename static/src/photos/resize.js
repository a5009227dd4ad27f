/** Resize photos in a Web Worker where OffscreenCanvas exists, on the main thread otherwise. */
let worker = null;
let nextId = 0;
const waiting = new Map();

function workerSupported() {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function'
    && typeof OffscreenCanvas.prototype.convertToBlob === 'function';
}

function getWorker() {
  if (!worker) {
    worker = new Worker(new URL('./resize-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', ({ data }) => {
      const pending = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.error) pending?.reject(new Error(data.error));
      else pending?.resolve(data.result);
    });
  }
  return worker;
}

/** A camera or gallery file -> { blob, thumb, width, height, sha256 }. */
export async function resizeImage(file, options = {}) {
  if (!workerSupported()) {
    const { resizePhoto } = await import('./resize-core.js');
    return resizePhoto(file, options);
  }
  const id = (nextId += 1);
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    getWorker().postMessage({ id, file, options });
  });
}
