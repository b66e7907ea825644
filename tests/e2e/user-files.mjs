// What a user uploads: real photographs (tests/e2e/fixtures/: two photographs of a circuit board from
// the Rust Embedded Book, MIT OR Apache-2.0, 720×477 JPEG) and masks drawn for them, given to the
// page's file picker as a user would.

import { readFileSync } from 'node:fs';

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** A real photograph as a file for `setInputFiles`, under any name. */
export const photograph = (fixture, name = fixture) => ({
  name,
  mimeType: 'image/jpeg',
  buffer: readFileSync(new URL(fixture, FIXTURES)),
});

/** A mask file drawn in the page: a white ellipse on black at (cx, cy) (fractions), radius r of the
 *  width, encoded as PNG, or as JPEG with `quality` when the name ends in .jpg. */
export async function maskFile(page, { name, width, height, cx = 0.5, cy = 0.5, r = 0.25, quality = 0.9 }) {
  const bytes = await page.evaluate(
    async ({ name, width, height, cx, cy, r, quality }) => {
      const canvas = new OffscreenCanvas(width, height);
      const c = canvas.getContext('2d');
      c.fillStyle = '#000';
      c.fillRect(0, 0, width, height);
      c.fillStyle = '#fff';
      c.beginPath();
      c.ellipse(width * cx, height * cy, width * r, width * r * 0.7, 0.3, 0, 2 * Math.PI);
      c.fill();
      const type = name.endsWith('.jpg') ? 'image/jpeg' : 'image/png';
      const blob = await canvas.convertToBlob({ type, quality });
      return [...new Uint8Array(await blob.arrayBuffer())];
    },
    { name, width, height, cx, cy, r, quality },
  );
  return { name, mimeType: name.endsWith('.jpg') ? 'image/jpeg' : 'image/png', buffer: Buffer.from(bytes) };
}

/** Chooses `files` in the upload picker and waits for the page's message about them. */
export async function upload(page, files) {
  if (!(await page.isVisible('#upload-input'))) await page.click('#uploads summary');
  const before = await page.textContent('#upload-message');
  await page.setInputFiles('#upload-input', files);
  await page.waitForFunction(
    (before) => {
      const text = document.getElementById('upload-message').textContent;
      // 'Reading …' counts the files, 'Preparing …' the images encoded at the training size.
      return text !== before && !/^(Reading|Preparing) /.test(text);
    },
    before,
    { timeout: 60_000 },
  );
  return page.textContent('#upload-message');
}

/** Types `value` into a number field and leaves it, as a user does. */
export async function setNumber(page, selector, value) {
  await page.fill(selector, String(value));
  await page.press(selector, 'Tab');
}
