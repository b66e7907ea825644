// The files of a dataset as the user brings them: picked one by one, a chosen folder, a dropped
// folder (read through the drop's directory entries), or a .zip of one (read in a worker by fflate).
// Each becomes { file, path }: the path keeps the folder names the mask rules read (`masks/x.png`).
// Files that are not images (notes, hidden files, macOS resource forks) are skipped and counted.

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif|bmp|avif)$/i;
/** Folders and files no dataset means: macOS resource forks, hidden files such as .DS_Store. */
const NOISE = /(^|\/)(__MACOSX\/|\.)/;

const pathOf = (file) => (file.webkitRelativePath || file.name).replaceAll('\\', '/');
export const isZip = (file) => /\.zip$/i.test(file.name) || file.type === 'application/zip';

/** Reads every file under a dropped directory entry. */
async function readEntry(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  const reader = entry.createReader();
  // readEntries returns at most 100 entries a call: read until it returns none.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const child of batch) await readEntry(child, out);
  }
}

/** The files of a drop, folders included (their paths kept). */
export async function droppedFiles(dataTransfer) {
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.some((entry) => entry.isDirectory))
    return [...dataTransfer.files].map((file) => ({ file, path: file.name }));
  const out = [];
  for (const entry of entries) await readEntry(entry, out);
  return out;
}

/** Picked files, or the files of a chosen folder (with their relative paths). */
export const pickedFiles = (files) => [...files].map((file) => ({ file, path: pathOf(file) }));

/** The image files of a .zip as { file, path }, or a rejection saying why it cannot be read. */
export function unzipped(zip, limits) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./zip-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data.error) reject(new Error(`${zip.name}: ${data.error}`));
      else resolve(data.files.map(({ path, bytes }) => ({ file: new File([bytes], path.split('/').pop()), path })));
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error(`${zip.name}: the .zip could not be read.`));
    };
    worker.postMessage({ zip, ...limits });
  });
}

/** Zips opened, then only image files kept, sorted by path (drops and zips list them in any order):
 *  { entries, skipped (how many files were not images) }. `cancelled()` stops between zips. */
export async function datasetEntries(entries, limits, cancelled) {
  const opened = [];
  for (const entry of entries) {
    if (cancelled()) return { entries: [], skipped: 0 };
    if (isZip(entry.file)) opened.push(...(await unzipped(entry.file, limits)));
    else opened.push(entry);
  }
  const images = opened.filter(({ path }) => !NOISE.test(path) && IMAGE_EXTENSIONS.test(path));
  // A single picked file is checked by the decoder, which says what it is when it is not an image.
  if (entries.length === 1 && !isZip(entries[0].file)) return { entries: opened, skipped: 0 };
  images.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  return { entries: withoutSharedFolder(images), skipped: opened.length - images.length };
}

/** Paths relative to the folder all of them are in (the chosen or zipped folder), so images are
 *  named `images/x.png` rather than `my-data-2024/images/x.png`. */
function withoutSharedFolder(entries) {
  const first = entries[0]?.path.split('/')[0];
  const shared = entries.every(({ path }) => path.includes('/') && path.split('/')[0] === first);
  return shared ? entries.map((e) => ({ ...e, path: e.path.slice(first.length + 1) })) : entries;
}
