// Reads a .zip off the main thread with fflate (vendored from npm: 8 kB, no dependencies, reads the
// deflate and stored entries every zip tool writes). Entries are checked against the sizes their
// headers claim before inflating, so a zip bomb is refused without being expanded.
import { unzipSync } from '../vendor/fflate.js';

const IMAGE = /\.(png|jpe?g|webp|gif|bmp|avif)$/i;
const mb = (n) => `${Math.round(n / 1e6)} MB`;

/** Its own buffer for each entry (a stored entry is a view into the zip), so each can be transferred. */
const owned = (bytes) => (bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());

self.onmessage = async ({ data: { zip, maxFileBytes, maxTotalBytes } }) => {
  let total = 0;
  let tooLarge = null;
  let files;
  try {
    files = unzipSync(new Uint8Array(await zip.arrayBuffer()), {
      filter: (entry) => {
        if (entry.name.endsWith('/') || !IMAGE.test(entry.name)) return false;
        total += entry.originalSize;
        if (entry.originalSize > maxFileBytes || total > maxTotalBytes) tooLarge ??= entry.name;
        return tooLarge === null;
      },
    });
  } catch {
    self.postMessage({ error: 'it is not a .zip the page can read (damaged, encrypted or not a zip).' });
    return;
  }
  if (tooLarge !== null) {
    const limits = `${mb(maxFileBytes)} a file, ${mb(maxTotalBytes)} in all`;
    self.postMessage({ error: `${tooLarge} would unpack past the page's limits (${limits}).` });
    return;
  }
  const out = Object.entries(files).map(([path, bytes]) => ({ path, bytes: owned(bytes) }));
  self.postMessage(
    { files: out },
    out.map((f) => f.bytes.buffer),
  );
};
