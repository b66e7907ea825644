// Decodes and downsizes uploaded files off the main thread, so a 40-megapixel photo never freezes the
// page, and reads each one's mask here too: an image's starting mask from Otsu's threshold, a mask
// file's object pixels by the rule the user chose (the engine's wasm module, posted once).
import { decodeImageFile } from './decode.js';

let api = null;
let ready = null; // the module's instantiation, which decodes wait for

async function decode({ file, maxSide, maxPixels, role, colour }) {
  const picture = await decodeImageFile(file, { maxSide, maxPixels, mask: role === 'mask' });
  await ready;
  const { rgba, width, height } = picture;
  if (role === 'image') return { ...picture, mask: api.otsuMask(rgba, width, height) };
  if (colour) return { ...picture, mask: api.maskFromColour(rgba, width, height, ...colour) };
  const { mask, thresholded, intermediate } = api.maskFromRgba(rgba, width, height);
  return { ...picture, mask, thresholded, intermediate };
}

self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    ready = import(data.glueUrl).then(async (glue) => {
      await glue.default({ module_or_path: data.module });
      api = glue;
    });
    return;
  }
  try {
    const result = await decode(data);
    self.postMessage({ id: data.id, ...result }, [result.rgba.buffer, result.mask.buffer]);
  } catch (error) {
    self.postMessage({ id: data.id, error: error.message });
  }
};
