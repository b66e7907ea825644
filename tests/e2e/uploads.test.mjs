// Your own data, as a user brings it: photographs and masks uploaded through the file picker, trained
// on; a mask painted with the pointer; every kind of bad file refused with a message while the images
// already there stay; no request leaves the page; and a link with the images in it reproduces the
// runs in a fresh browser and in the CLI.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { canvasStats, nextFrames, openBrowser, openPage, setSeeds, trainToEnd } from './browser.mjs';
import { upload } from './user-files.mjs';

const CLI = new URL('../../target/e2e/segloss', import.meta.url).pathname;

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

/** Encodes test files in the page: a photograph-like JPEG (lit gradient, texture, noise, a dark
 *  object with a soft shadow) and its mask as PNG; `spec` = { name, width, height, kind, ... }. */
async function makeFiles(page, specs) {
  const files = await page.evaluate(async (specs) => {
    const out = [];
    for (const spec of specs) {
      const { width, height } = spec;
      const canvas = new OffscreenCanvas(width, height);
      const c = canvas.getContext('2d');
      const cx = width * (spec.cx ?? 0.5);
      const cy = height * (spec.cy ?? 0.5);
      const rx = width * (spec.r ?? 0.2);
      if (spec.kind === 'photo') {
        const sky = c.createLinearGradient(0, 0, width, height);
        sky.addColorStop(0, '#8fb3d9');
        sky.addColorStop(1, '#d8c9a3');
        c.fillStyle = sky;
        c.fillRect(0, 0, width, height);
        let seed = 7;
        const random = () => {
          seed = (seed * 16807) % 2147483647;
          return seed / 2147483647;
        };
        for (let i = 0; i < 400; i++) {
          c.fillStyle = `rgba(${90 + 80 * random()}, ${80 + 60 * random()}, 60, 0.25)`;
          c.fillRect(random() * width, random() * height, 2 + 6 * random(), 2 + 6 * random());
        }
        c.shadowColor = 'rgba(0,0,0,0.5)';
        c.shadowBlur = 8;
        c.fillStyle = '#5a2d1a';
        c.beginPath();
        c.ellipse(cx, cy, rx, rx * 0.7, 0.3, 0, 2 * Math.PI);
        c.fill();
      } else {
        c.fillStyle = '#000';
        c.fillRect(0, 0, width, height);
        c.fillStyle = '#fff';
        if (spec.kind === 'mask') {
          c.beginPath();
          c.ellipse(cx, cy, rx, rx * 0.7, 0.3, 0, 2 * Math.PI);
          c.fill();
        } else if (spec.kind === 'full-mask') {
          c.fillRect(0, 0, width, height);
        } else if (spec.kind === 'labels') {
          c.fillStyle = '#00ff00';
          c.fillRect(0, 0, width / 2, height);
          c.fillStyle = '#ff0000';
          c.fillRect(width / 2, 0, width / 4, height);
        }
      }
      const type = spec.name.endsWith('.jpg') ? 'image/jpeg' : 'image/png';
      const blob = await canvas.convertToBlob({ type, quality: 0.9 });
      out.push({ name: spec.name, mimeType: type, bytes: [...new Uint8Array(await blob.arrayBuffer())] });
    }
    return out;
  }, specs);
  return files.map(({ name, mimeType, bytes }) => ({ name, mimeType, buffer: Buffer.from(bytes) }));
}

const uploadNames = (page) => page.$$eval('#upload-list li', (items) => items.map((li) => li.dataset.name));

async function setNumber(page, selector, value) {
  await page.fill(selector, String(value));
  await page.press(selector, 'Tab');
}

test('photographs and their masks upload, train, and travel in a link that reproduces the runs', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await setSeeds(page, 1);
  const requests = [];
  page.on('request', (request) => requests.push(request));
  await page.click('#uploads summary');
  const files = await makeFiles(page, [
    { name: 'field.jpg', width: 480, height: 360, kind: 'photo' },
    { name: 'field_mask.png', width: 480, height: 360, kind: 'mask' },
    { name: 'meadow.jpg', width: 400, height: 300, kind: 'photo', cx: 0.35, cy: 0.6, r: 0.15 },
    { name: 'meadow.mask.png', width: 400, height: 300, kind: 'mask', cx: 0.35, cy: 0.6, r: 0.15 },
  ]);
  assert.match(await upload(page, files), /Added 2 images and 2 masks/);
  assert.deepEqual(await uploadNames(page), ['field.jpg', 'meadow.jpg']);
  assert.equal(await page.inputValue('#scene'), '');
  const facts = await page.$$eval('.object-fraction', (spans) => spans.map((s) => s.textContent));
  assert.match(facts[0], /^480×360, trained at 256×192 · 1\d\.\d % object · mask from field_mask\.png/);
  assert.match(facts[1], /held out|mask from meadow\.mask\.png/);
  const heldout = await page.$$eval('#upload-list li input[type="checkbox"]', (boxes) => boxes.map((b) => b.checked));
  assert.equal(heldout.filter(Boolean).length, 1, 'the seeded draw holds out one of two images');
  assert.match(await page.textContent('#split-message'), /^1 of 2 images held out \(seed 1\)/);
  // Picked by hand: the second image is the held-out one.
  await page.setChecked('#upload-list li:nth-child(1) input[type="checkbox"]', false);
  await page.setChecked('#upload-list li:nth-child(2) input[type="checkbox"]', true);
  assert.match(
    await page.textContent('#status'),
    /1 training and 1 held-out images.*your images, trained at up to 256 px/,
  );
  const image = await canvasStats(page, '#image-canvas');
  assert.deepEqual([image.width, image.height], [256, 192]);
  assert.ok(image.colourFraction > 0.3, 'the photograph is drawn');
  const mask = await canvasStats(page, '#mask-canvas');
  assert.ok(mask.whiteFraction > 0.1 && mask.whiteFraction < 0.25, `mask drawn: ${mask.whiteFraction}`);

  // Two textured photographs at the largest size a link holds take more than a safe link; at 40 px
  // they fit, and trained at the link's size the link carries the training data exactly.
  await setNumber(page, '#setting-steps', 40);
  await page.click('#share-heading');
  assert.match(await page.textContent('#link-images-note'), /\d+-pixel copies.*train at 256/);
  assert.match(
    await page.textContent('#link-length'),
    /longer than 8,000.*Make the images smaller in the link, or download the experiment file/,
  );
  await setNumber(page, '#link-side', 40);
  assert.match(await page.textContent('#link-images-note'), /40-pixel copies.*the link trains on 30-pixel crops/);
  await page.click('#train-link-copies');
  assert.equal(await page.inputValue('#setting-patch'), '30');
  await page.waitForFunction(() =>
    document.getElementById('link-images-note').textContent.includes('exactly as they are trained'),
  );
  assert.equal(await page.inputValue('#train-side'), '40');
  const link = await page.inputValue('#link');
  assert.match(link, /&data=[A-Za-z0-9_-]{200,}$/);
  assert.ok(link.length < 8000, `link of ${link.length} characters`);
  assert.doesNotMatch(await page.textContent('#link-length'), /longer/);
  const original = await trainToEnd(page, 300_000);
  assert.equal(original.length, 4);
  for (const row of original) {
    assert.match(row.checksum, /^[0-9a-f]{16}$/);
    assert.ok(Number(row.dice) > 0.5, `${row.spec} learns the object: Dice ${row.dice}`);
  }
  await page.click('#full-view-open');
  await page.waitForFunction(() => document.getElementById('full-view-status').textContent.startsWith('Each run'));
  const full = await page.$$eval('#full-view-figures canvas', (canvases) => canvases.map((c) => [c.width, c.height]));
  assert.deepEqual(full, Array(5).fill([480, 360]), 'the photograph and 4 masks at the uploaded size');
  await page.click('#full-view-close');
  const after = requests.filter((r) => r.url().includes('#') === false);
  for (const request of after) {
    assert.equal(request.method(), 'GET', `${request.method()} ${request.url()}`);
    assert.equal(request.postData(), null);
    assert.ok(request.url().startsWith(browser.url), `only the page's own files: ${request.url()}`);
    assert.match(new URL(request.url()).pathname, /\/(js|pkg)\/[\w./-]+\.(js|wasm)$/, request.url());
  }
  assert.deepEqual(errors, []);
  await page.close();

  const fresh = await openBrowser();
  const opened = await openPage(fresh.context, link.replace(/^http:\/\/[^/]+\//, fresh.url));
  assert.equal(await opened.page.inputValue('#scene'), '');
  assert.equal(await opened.page.inputValue('#setting-steps'), '40');
  assert.equal(await opened.page.$$eval('#upload-list li', (items) => items.length), 2);
  const reproduced = await trainToEnd(opened.page, 300_000);
  assert.deepEqual(
    reproduced.map(({ time, ...rest }) => rest),
    original.map(({ time, ...rest }) => rest),
  );
  assert.deepEqual(opened.errors, []);
  await fresh.close();

  const cli = JSON.parse(execFileSync(CLI, ['run', '--link', link, '--json'], { encoding: 'utf8' }));
  for (const row of original) {
    const run = cli.runs.find((r) => r.loss === row.spec);
    assert.equal(run.checksum, row.checksum, `CLI checksum of ${row.spec}`);
    assert.equal(Number(run.heldout.dice.toFixed(3)), Number(row.dice), `CLI held-out Dice of ${row.spec}`);
  }
});

test('a mask is painted with the pointer: brush, eraser, fill, undo and redo', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.click('#uploads summary');
  const files = await makeFiles(page, [{ name: 'stone.png', width: 200, height: 120, kind: 'photo', r: 0.1 }]);
  assert.match(await upload(page, files), /Added 1 image and 0 masks/);
  assert.match(await page.textContent('.object-fraction'), /mask automatic \(Otsu threshold\)/);
  await page.click('#upload-list button:has-text("Paint mask")');
  await page.waitForSelector('#painter[open]');
  const fraction = async () => Number((await page.textContent('#painter-fraction')).match(/([\d.]+) %/)[1]);
  await page.click('#painter-clear');
  assert.equal(await fraction(), 0);
  const box = await page.locator('#painter-canvas').boundingBox();
  const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.1, 0.5));
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(...at(0.1 + 0.08 * i, 0.5));
  await page.mouse.up();
  await nextFrames(page);
  const stroke = await fraction();
  assert.ok(stroke > 3 && stroke < 30, `a horizontal stroke covers ${stroke} %`);
  await page.keyboard.press('e');
  assert.equal(await page.isChecked('#painter-eraser'), true);
  await page.mouse.move(...at(0.5, 0.2));
  await page.mouse.down();
  await page.mouse.move(...at(0.5, 0.8));
  await page.mouse.up();
  await nextFrames(page);
  const erased = await fraction();
  assert.ok(erased < stroke, `the eraser removed paint: ${erased} < ${stroke}`);
  await page.keyboard.press('Control+z');
  assert.equal(await fraction(), stroke, 'undo restores the stroke');
  await page.keyboard.press('Control+Shift+z');
  assert.equal(await fraction(), erased, 'redo erases again');
  await page.keyboard.press('f');
  await page.mouse.click(...at(0.02, 0.05));
  await nextFrames(page);
  assert.ok((await fraction()) > 90, 'fill switched the background region to object');
  await page.click('#painter-undo');
  assert.equal(await fraction(), erased);
  await page.click('#painter-done');
  await page.waitForSelector('#painter:not([open])', { state: 'attached' });
  const facts = await page.textContent('.object-fraction');
  assert.match(facts, new RegExp(`${erased.toFixed(1).replace('.', '\\.')} % object · mask painted`));
  const mask = await canvasStats(page, '#mask-canvas');
  assert.ok(
    Math.abs(100 * mask.whiteFraction - erased) < 2,
    `the ground truth shows the painted mask: ${100 * mask.whiteFraction}`,
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad files each give a message and the images already there stay', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.click('#uploads summary');
  const [good, goodMask, small, emptyMask, fullMask] = await makeFiles(page, [
    { name: 'kept.jpg', width: 300, height: 200, kind: 'photo' },
    { name: 'kept_mask.png', width: 300, height: 200, kind: 'mask' },
    { name: 'other.png', width: 120, height: 90, kind: 'photo' },
    { name: 'empty.png', width: 120, height: 90, kind: 'photo' },
    { name: 'full.png', width: 120, height: 90, kind: 'photo' },
  ]);
  assert.match(await upload(page, [good, goodMask]), /Added 1 image and 1 mask\./);
  const kept = await page.textContent('#status');
  const png = good.buffer;
  const jpegs = await makeFiles(page, [{ name: 'cut.jpg', width: 300, height: 200, kind: 'photo' }]);
  const utf8 = (name, text) => ({ name, mimeType: 'image/png', buffer: Buffer.from(text) });
  const hugeHeader = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8,
    6, 0, 0, 0, 0, 0, 0, 0,
  ]);
  const [wrongMask] = await makeFiles(page, [{ name: 'other_mask.png', width: 60, height: 45, kind: 'mask' }]);
  const cases = [
    [
      [{ name: 'zero.png', mimeType: 'image/png', buffer: Buffer.alloc(0) }],
      /zero\.png: the file is empty \(0 bytes\)/,
    ],
    [[utf8('notes.png', 'shopping list: milk, eggs')], /notes\.png: this is not an image the page can read/],
    [[utf8('paper.png', '%PDF-1.7\n1 0 obj <<>>\n')], /paper\.png: this is a PDF, not an image/],
    [
      [{ ...jpegs[0], name: 'cut.jpg', buffer: jpegs[0].buffer.subarray(0, 400) }],
      /cut\.jpg: the JPEG file could not be decoded: it is damaged or truncated/,
    ],
    [
      [{ name: 'cut.png', mimeType: 'image/png', buffer: png.subarray(0, 60) }],
      /cut\.png: .*could not be decoded|cut\.png: this is not an image/,
    ],
    [[{ name: 'huge.png', mimeType: 'image/png', buffer: hugeHeader }], /claims 100,000 × 100,000 pixels/],
    [
      [utf8('logo.png', '<svg xmlns="http://www.w3.org/2000/svg"><script>window.pwned=1</script></svg>')],
      /SVG drawings are not accepted/,
    ],
    [
      [{ ...small, name: 'other.png' }, wrongMask],
      /other_mask\.png: the mask is 60×45 pixels but its image other\.png is 120×90/,
    ],
    [[utf8('lonely_mask.png', 'x')], /lonely_mask\.png: no image named "lonely"/],
  ];
  for (const [files, message] of cases) {
    const text = await upload(page, files);
    assert.match(text, message, `${files[0].name}: ${text}`);
    assert.equal(await page.getAttribute('#upload-message', 'class'), 'hint error');
  }
  // The mismatched mask's image was added (with a threshold mask); nothing else was.
  assert.deepEqual(await uploadNames(page), ['kept.jpg', 'other.png']);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.click('#upload-list li:nth-child(2) button:has-text("Remove")');
  assert.equal(await page.textContent('#status'), kept, 'the previous dataset is back as it was');

  // A 40-megapixel photograph works, downscaled.
  const [photo] = await makeFiles(page, [{ name: 'big.jpg', width: 8000, height: 5000, kind: 'photo' }]);
  assert.match(await upload(page, [photo]), /Added 1 image and 0 masks/);
  assert.match(
    await page.textContent('#upload-list li:nth-child(2) .object-fraction'),
    /^8000×5000, trained at 256×160 ·/,
  );

  // Empty and full masks are accepted with a warning that says what the losses will do.
  const [blank] = await makeFiles(page, [{ name: 'empty_mask.png', width: 120, height: 90, kind: 'empty-mask' }]);
  const [filled] = await makeFiles(page, [{ name: 'full_mask.png', width: 120, height: 90, kind: 'full-mask' }]);
  assert.match(await upload(page, [emptyMask, blank, fullMask, filled]), /Added 2 images and 2 masks/);
  const warnings = await page.$$eval('.coverage-warning', (ps) => ps.map((p) => p.textContent));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /No object pixels\. Dice, Tversky and Lovász/);
  assert.match(warnings[1], /Only object pixels/);
  assert.equal(await page.isEnabled('#train'), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an experiment file carries images at training size; a bad one changes nothing', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.click('#uploads summary');
  const files = await makeFiles(page, [
    { name: 'a.jpg', width: 300, height: 300, kind: 'photo' },
    { name: 'a_mask.png', width: 300, height: 300, kind: 'mask' },
  ]);
  await upload(page, files);
  await page.click('#share-heading');
  const download = page.waitForEvent('download');
  await page.click('#save-experiment');
  const saved = await download;
  const text = await (await saved.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString());
  const experiment = JSON.parse(text);
  assert.equal(experiment.format, 'segloss-experiment');
  assert.match(experiment.query, /&data=/);

  const other = await openPage(browser.context, browser.url);
  const status = await other.page.textContent('#status');
  await other.page.setInputFiles('#open-experiment', {
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"segloss-experiment","version":1,"query":"v=1&data=AAAA"}'),
  });
  await other.page.waitForSelector('#notices:not([hidden])');
  assert.match(
    await other.page.textContent('#notices'),
    /could not be read \(the images in this link are damaged.*nothing was changed/,
  );
  assert.equal(await other.page.textContent('#status'), status);
  await other.page.setInputFiles('#open-experiment', {
    name: 'e.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await other.page.waitForFunction(() => document.getElementById('status').textContent.includes("the file's images"));
  assert.match(await other.page.textContent('#status'), /1 training and 0 held-out images.*trained at up to 256 px/);
  const image = await canvasStats(other.page, '#image-canvas');
  assert.deepEqual([image.width, image.height], [256, 256]);
  assert.deepEqual([...errors, ...other.errors], []);
  await page.close();
  await other.page.close();
});

test('a colour-coded label image gives the mask of the chosen colour', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.click('#uploads summary');
  await page.selectOption('#mask-rule', 'colour');
  await page.$eval('#mask-colour', (input) => {
    input.value = '#ff0000';
    input.dispatchEvent(new Event('change'));
  });
  const files = await makeFiles(page, [
    { name: 'street.jpg', width: 160, height: 80, kind: 'photo' },
    { name: 'street_mask.png', width: 160, height: 80, kind: 'labels' },
  ]);
  assert.match(await upload(page, files), /Added 1 image and 1 mask/);
  assert.match(
    await page.textContent('.object-fraction'),
    /25\.0 % object · mask from street_mask\.png \(colour #ff0000\)/,
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('images can be dropped on the page and pasted from the clipboard', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.click('#uploads summary');
  const [photo] = await makeFiles(page, [{ name: 'dropped.jpg', width: 120, height: 90, kind: 'photo' }]);
  const bytes = [...photo.buffer];
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'dropped.jpg', { type: 'image/jpeg' }));
    document
      .getElementById('drop-zone')
      .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await page.waitForFunction(() => document.querySelectorAll('#upload-list li').length === 1);
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/jpeg' }));
    document.body.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
    );
  }, bytes);
  await page.waitForFunction(() => document.querySelectorAll('#upload-list li').length === 2);
  const names = await uploadNames(page);
  assert.equal(names[0], 'dropped.jpg');
  assert.match(names[1], /^pasted-\d+-1\.png$/);
  assert.deepEqual(errors, []);
  await page.close();
});
