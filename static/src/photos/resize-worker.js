/** Off the main thread: resize photos so the form stays responsive while a 48 MP photo shrinks. */
import { resizePhoto } from './resize-core.js';

self.addEventListener('message', async (event) => {
  const { id, file, options } = event.data;
  try {
    const result = await resizePhoto(file, options);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message || error) });
  }
});
