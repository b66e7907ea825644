// Decodes and downsizes uploaded files off the main thread, so a 40-megapixel photo never freezes the page.
import { decodeImageFile } from './decode.js';

self.onmessage = async ({ data: { id, file, maxSide, mask } }) => {
  try {
    const result = await decodeImageFile(file, maxSide, { mask });
    self.postMessage({ id, ...result }, [result.rgba.buffer]);
  } catch (error) {
    self.postMessage({ id, error: error.message });
  }
};
