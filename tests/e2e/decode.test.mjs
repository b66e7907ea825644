// Uploaded files to pixels (www/js/decode.js), run in the page: a 40-megapixel photo is downscaled,
// and each bad file is refused with a message before or instead of decoding.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, openPage } from './browser.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

test('decodes a 40-megapixel JPEG to the longest side and refuses bad files with a message', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const result = await page.evaluate(async () => {
    const { decodeImageFile } = await import('./js/decode.js');
    const encode = async (width, height, type) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      const gradient = context.createLinearGradient(0, 0, width, height);
      gradient.addColorStop(0, '#234');
      gradient.addColorStop(1, '#eb7');
      context.fillStyle = gradient;
      context.fillRect(0, 0, width, height);
      return new Uint8Array(await (await canvas.convertToBlob({ type, quality: 0.8 })).arrayBuffer());
    };
    const outcome = async (name, bytes) => {
      try {
        const { width, height, originalWidth, originalHeight, rgba } = await decodeImageFile(new File([bytes], name), {
          maxSide: 256,
          maxPixels: 120_000_000,
        });
        return { width, height, originalWidth, originalHeight, bytes: rgba.length };
      } catch (error) {
        return { message: error.message };
      }
    };
    const png = await encode(64, 48, 'image/png');
    // A valid PNG signature and IHDR claiming 100,000 × 100,000 pixels, nothing after it.
    const huge = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0,
      8, 6, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const utf8 = (s) => new TextEncoder().encode(s);
    return {
      photo: await outcome('photo.jpg', await encode(8000, 5000, 'image/jpeg')),
      png: await outcome('small.png', png),
      empty: await outcome('empty.png', new Uint8Array()),
      text: await outcome('notes.png', utf8('just some notes, renamed')),
      pdf: await outcome('paper.png', utf8('%PDF-1.7\n1 0 obj\n')),
      svg: await outcome('logo.png', utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
      huge: await outcome('huge.png', huge),
      truncated: await outcome('cut.png', png.subarray(0, 60)),
    };
  });
  assert.deepEqual(result.photo, {
    width: 256,
    height: 160,
    originalWidth: 8000,
    originalHeight: 5000,
    bytes: 256 * 160 * 4,
  });
  assert.deepEqual(result.png, { width: 64, height: 48, originalWidth: 64, originalHeight: 48, bytes: 64 * 48 * 4 });
  assert.match(result.empty.message, /^empty\.png: the file is empty \(0 bytes\)/);
  assert.match(result.text.message, /not an image the page can read/);
  assert.match(result.pdf.message, /is a PDF/);
  assert.match(result.svg.message, /SVG drawings are not accepted/);
  assert.match(result.huge.message, /claims 100,000 × 100,000 pixels/);
  assert.match(result.truncated.message, /could not be decoded: it is damaged or truncated/);
  assert.deepEqual(errors, []);
  await page.close();
});
