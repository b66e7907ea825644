// An uploaded file → RGBA pixels no longer than a given side, or a message saying why not. The file's
// first bytes are checked before the browser decodes anything, so vector images (SVG, which could carry
// script) are never handed to a decoder and a header claiming a gigantic size is refused without
// allocating it. Uses only createImageBitmap and OffscreenCanvas, so it runs in a worker as well.

const READABLE = 'PNG, JPEG, WebP, GIF, BMP or AVIF';

const startsWith = (bytes, ...values) => values.every((v, i) => bytes[i] === v);
const text = (bytes, from, to) => String.fromCharCode(...bytes.subarray(from, to));
const u32be = (b, i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];

/** JPEG frame size from the first start-of-frame marker, or null if the header ends first. */
function jpegSize(b) {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const length = (b[i + 2] << 8) + b[i + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return { width: (b[i + 7] << 8) + b[i + 8], height: (b[i + 5] << 8) + b[i + 6] };
    i += 2 + length;
  }
  return null;
}

/** { kind, size } from the file's first bytes; size is null where the header does not say it cheaply. */
export function sniff(b) {
  if (startsWith(b, 0x89, 0x50, 0x4e, 0x47)) {
    return { kind: 'PNG', size: b.length >= 24 ? { width: u32be(b, 16), height: u32be(b, 20) } : null };
  }
  if (startsWith(b, 0xff, 0xd8, 0xff)) return { kind: 'JPEG', size: jpegSize(b) };
  if (text(b, 0, 4) === 'GIF8') return { kind: 'GIF', size: { width: b[6] + (b[7] << 8), height: b[8] + (b[9] << 8) } };
  if (text(b, 0, 2) === 'BM' && b.length >= 26) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return {
      kind: 'BMP',
      size: { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) },
    };
  }
  if (text(b, 0, 4) === 'RIFF' && text(b, 8, 12) === 'WEBP') return { kind: 'WebP', size: null };
  if (text(b, 4, 8) === 'ftyp' && /avi[fs]/.test(text(b, 8, 12))) return { kind: 'AVIF', size: null };
  const head = text(b, 0, Math.min(b.length, 512)).toLowerCase();
  if (head.includes('<svg') || head.startsWith('<?xml')) return { kind: 'SVG', size: null };
  if (head.startsWith('%pdf')) return { kind: 'PDF', size: null };
  return { kind: null, size: null };
}

/** Whether a GIF, PNG or WebP holds an animation (the browser decodes its first frame only): GIF's
 *  looping extension or a second frame's control block, APNG's acTL chunk, WebP's ANIM chunk. */
export function isAnimated(kind, b) {
  // windows-1252 keeps ASCII and 0xF9, all the markers need.
  const all = new TextDecoder('windows-1252').decode(b);
  const has = (marker) => all.includes(marker);
  if (kind === 'GIF') return has('NETSCAPE2.0') || all.split('\x21\xf9\x04').length > 2;
  if (kind === 'PNG') return has('acTL');
  if (kind === 'WebP') return has('ANIM');
  return false;
}

/** (width, height) with the longest side at most `maxSide`, aspect kept, each side at least 1. */
export function fittedSize(width, height, maxSide) {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height };
  const scale = (n) => Math.max(1, Math.round((n * maxSide) / longest));
  return { width: scale(width), height: scale(height) };
}

/** Resolves to { rgba, width, height, originalWidth, originalHeight, animated (the kind of an animated
 *  file, whose first frame this is, else null) } no longer than `maxSide`, or rejects
 *  with an Error whose message names the file and says what to do; a file of more than `maxPixels`
 *  pixels is refused before it is decoded. A `mask` is decoded without colour conversion or smoothing,
 *  so its pixels keep their exact values (class indices, alpha). */
export async function decodeImageFile(file, { maxSide, maxPixels, mask = false }) {
  const refuse = (why) => {
    throw new Error(`${file.name}: ${why}`);
  };
  if (file.size === 0) refuse('the file is empty (0 bytes).');
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  const { kind, size } = sniff(head);
  if (kind === 'SVG')
    refuse(`SVG drawings are not accepted (they are not pixels and may contain script); export it as PNG first.`);
  if (kind === 'PDF') refuse(`this is a PDF, not an image; use a ${READABLE} file.`);
  if (kind === null) refuse(`this is not an image the page can read; use a ${READABLE} file.`);
  if (size && size.width * size.height > maxPixels) {
    refuse(
      `the ${kind} header claims ${size.width.toLocaleString('en')} × ${size.height.toLocaleString('en')} pixels, ` +
        `more than the ${maxPixels / 1e6} megapixels the page accepts.`,
    );
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, mask ? { colorSpaceConversion: 'none', premultiplyAlpha: 'none' } : {});
  } catch {
    refuse(`the ${kind} file could not be decoded: it is damaged or truncated.`);
  }
  const { width, height } = fittedSize(bitmap.width, bitmap.height, maxSide);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  context.imageSmoothingEnabled = !mask;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  const result = {
    rgba: context.getImageData(0, 0, width, height).data,
    width,
    height,
    originalWidth: bitmap.width,
    originalHeight: bitmap.height,
    animated: isAnimated(kind, head) ? kind : null,
  };
  bitmap.close();
  return result;
}
