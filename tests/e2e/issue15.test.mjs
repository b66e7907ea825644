// Issue 15, what a new user trips over: each test does what the user did (real photographs uploaded
// through the file picker, a link opened in a fresh browser, the Keras panel opened) and checks that
// the page says what is true.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, openPage } from './browser.mjs';
import { maskFile, photograph, setNumber, upload } from './user-files.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

/** A photograph and its mask, uploaded under `name`. */
async function photoWithMask(page, fixture, name, mask = {}) {
  return [
    photograph(fixture, `${name}.jpg`),
    await maskFile(page, { name: `${name}_mask.png`, width: 720, height: 477, ...mask }),
  ];
}

const summaryCells = (page, key) =>
  page.$$eval(`#summary [data-key="${key}"]`, (cells) => cells.map((c) => c.textContent));

test('issue 15 item 1: the Keras panel works with four uploaded photographs', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const files = [];
  for (const [i, fixture] of ['board.jpg', 'board-led.jpg', 'board.jpg', 'board-led.jpg'].entries())
    files.push(...(await photoWithMask(page, fixture, `photo${i + 1}`, { cx: 0.3 + 0.1 * i })));
  assert.match(await upload(page, files), /Added 4 images and 4 masks/);
  await page.click('#keras-heading');
  const loss = await page.textContent('#keras-loss');
  const model = await page.textContent('#keras-model');
  assert.doesNotMatch(loss, /could not be generated/, loss.slice(0, 200));
  assert.doesNotMatch(model, /could not be generated/, model.slice(0, 200));
  assert.match(loss, /^def loss\(y_true, y_pred\):$/m);
  assert.match(model, /keras/);
  assert.ok((await page.$$('#shapes table, #shapes li, #shapes tr')).length > 0, 'the shapes panel is drawn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('issue 15 item 2: with nothing held out, scores say they are of the training images', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  assert.match(await page.textContent('#summary-heading'), /held-out images/, 'a demo scene holds images out');
  assert.match(await upload(page, await photoWithMask(page, 'board.jpg', 'board')), /Added 1 image and 1 mask/);
  await setNumber(page, '#setting-steps', 20);
  const status = await page.textContent('#status');
  assert.match(status, /1 training and 0 held-out images/);
  assert.match(status, /No image is held out, so the scores are of the training images/);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((s) => s.textContent.includes('· ready')),
  );
  await page.click('#train');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 300_000 });
  const heading = await page.textContent('#summary-heading');
  const caption = await page.textContent('#dice-caption');
  assert.match(heading, /^Summary \(training images, none is held out, threshold 0\.5\)$/);
  assert.match(caption, /^Dice on the training images, none is held out/);
  for (const text of [heading, caption]) assert.doesNotMatch(text, /held-out images/i);
  for (const dice of await summaryCells(page, 'dice')) assert.match(dice, /^\d\.\d{3}$/, 'the runs are scored');
  assert.deepEqual(errors, []);
  await page.close();
});

test('issue 15 item 5: no scores before the first step, and none highlighted as best', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((s) => s.textContent.includes('· ready')),
  );
  for (const key of ['dice', 'iou', 'precision', 'recall', 'accuracy']) {
    const cells = await summaryCells(page, key);
    assert.equal(cells.length, 4);
    assert.deepEqual(cells, ['—', '—', '—', '—'], `${key} before training`);
  }
  assert.equal(await page.$$eval('#summary .best', (cells) => cells.length), 0, 'nothing is best before training');
  await page.click('#step');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#summary [data-key="dice"]')].every((c) => c.textContent !== '—'),
  );
  for (const dice of await summaryCells(page, 'dice')) assert.match(dice, /^\d\.\d{3}$/);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Trains the page's runs to the end; { spec: checksum } of each. */
async function checksums(page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((s) => s.textContent.includes('· ready')),
  );
  await page.click('#train');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 300_000 });
  const rows = await page.$$eval('#summary tbody tr', (rows) =>
    rows.map((row) => [
      row.querySelector('[data-key="spec"]').textContent,
      row.querySelector('[data-key="checksum"]').textContent,
    ]),
  );
  return Object.fromEntries(rows);
}

test('issue 15 item 3: the Share panel says first whether the link reproduces the runs, and it does', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  assert.match(await upload(page, await photoWithMask(page, 'board.jpg', 'board')), /Added 1 image and 1 mask/);
  await setNumber(page, '#setting-steps', 20);
  await page.click('#share-heading');
  const first = () => page.textContent('#link-reproduces');
  // What fits in a link, exactly, at each training size (measured on the real photograph).
  const measured = [];
  for (const side of [64, 96, 128, 160, 192, 256]) {
    await setNumber(page, '#train-side', side);
    const link = await page.inputValue('#link');
    measured.push({ side, characters: link.length, exact: /bit for bit/.test(await first()) });
  }
  console.log('one 720×477 photograph with its mask, link length by training size:', JSON.stringify(measured));
  for (const { characters } of measured) assert.ok(characters <= 65_536 + 100, 'every link opens');
  const fitting = measured.filter((m) => m.exact).map((m) => m.side);
  assert.ok(fitting.includes(128), `a 128-pixel photograph fits exactly: ${fitting}`);

  // Too large to fit at 256: the first line says so before the user copies the link.
  await setNumber(page, '#train-side', 256);
  if (!measured.at(-1).exact) {
    assert.match(
      await first(),
      /^This link shares smaller copies of your images \(\d+ px; you train at 256 px\): whoever opens it gets different numbers than yours\.$/,
    );
    assert.match(await page.textContent('#link-images-note'), /longer than the 65,536 characters a link may hold/);
    await page.click('#train-link-copies');
    const side = Number(await page.inputValue('#link-side'));
    assert.match(
      await page.textContent('#link-trained-copies'),
      new RegExp(`^Now training at ${side} px \\(was 256 px\\)`),
    );
    assert.equal(await page.inputValue('#train-side'), String(side), 'the training size shows what is set');
  }
  assert.match(await first(), /^Whoever opens this link can train the same runs, bit for bit\.$/);
  const link = await page.inputValue('#link');
  const original = await checksums(page);
  assert.deepEqual(errors, []);
  await page.close();

  const fresh = await openBrowser();
  const opened = await openPage(fresh.context, link.replace(/^http:\/\/[^/]+\//, fresh.url));
  assert.equal(await opened.page.isVisible('#notices'), false, 'the link opens without a notice');
  assert.deepEqual(await checksums(opened.page), original, 'the link reproduces the runs bit for bit');
  assert.deepEqual(opened.errors, []);
  await fresh.close();
});

test('issue 15 item 6: what a link changed or refused is one notice at the top; controls show what is set', async () => {
  const { page: home, errors: homeErrors } = await openPage(browser.context, browser.url);
  assert.equal(await home.inputValue('#preset'), 'classic', 'the page opens on the classic question');
  assert.deepEqual(homeErrors, []);
  await home.close();

  const fragment = '#v=1&demo=cells&patch=-3&seed=1&seed=2&losses=dice;lovasz';
  const { page, errors } = await openPage(browser.context, browser.url + fragment);
  assert.equal(await page.isVisible('#notices'), true);
  const bottom = await page.$eval('#notices', (notices) => notices.getBoundingClientRect().bottom);
  assert.ok(bottom <= 900, `the notice is visible without scrolling (it ends at ${bottom} px)`);
  const notices = await page.$$eval('#notice-list li', (items) => items.map((li) => li.textContent));
  assert.ok(
    notices.some((text) => /patch size -3 is out of range.*used 8/.test(text)),
    notices.join(' | '),
  );
  assert.ok(notices.some((text) => /seed is given more than once \("1" and "2"\); used the last/.test(text)));
  assert.equal(await page.textContent('#settings-error'), '', 'nothing of the link only below the fold');
  assert.equal(await page.inputValue('#setting-patch'), '8');
  assert.equal(await page.inputValue('#seed'), '2');
  assert.equal(await page.inputValue('#preset'), '', 'no preset is shown for a list that is no preset');
  assert.equal(await page.$eval('#preset', (s) => s.selectedOptions[0].textContent), 'Your own list (no preset)');
  assert.deepEqual(await page.$$eval('#loss-list code', (codes) => codes.map((c) => c.textContent)), [
    'dice',
    'lovasz',
  ]);
  await page.selectOption('#preset', 'region');
  await page.waitForFunction(() => document.querySelectorAll('#loss-list code').length === 4);
  assert.equal(await page.inputValue('#preset'), 'region');
  await page.click('#loss-list li:last-child button');
  assert.equal(await page.inputValue('#preset'), '', "an edited preset is the user's own list");
  assert.deepEqual(errors, []);
  await page.close();
});

const listFacts = (page) => page.$$eval('.object-fraction', (spans) => spans.map((s) => s.textContent));
const objectPercent = (text) => Number(text.match(/([\d.]+) % object/)[1]);

test('issue 15 item 8: a mask saved as JPEG reads as the same mask saved as PNG, and says how', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const ellipse = { width: 720, height: 477, cx: 0.45, r: 0.3 };
  const files = [
    photograph('board.jpg', 'lossless.jpg'),
    await maskFile(page, { ...ellipse, name: 'lossless_mask.png' }),
    photograph('board.jpg', 'lossy.jpg'),
    await maskFile(page, { ...ellipse, name: 'lossy_mask.jpg', quality: 0.5 }),
  ];
  assert.match(await upload(page, files), /Added 2 images and 2 masks/);
  const [png, jpeg] = await listFacts(page);
  // The drawn PNG's anti-aliased edge has grey levels too, read by the same rule.
  assert.match(png, /mask from lossless_mask\.png( \(object: brighter than half its white\))?$/);
  assert.match(jpeg, /mask from lossy_mask\.jpg \(object: brighter than half its white\)$/);
  const gap = Math.abs(objectPercent(png) - objectPercent(jpeg));
  console.log(`PNG mask ${objectPercent(png)} % object, the same mask as JPEG (quality 0.5) ${objectPercent(jpeg)} %`);
  assert.ok(gap <= 0.3, `the JPEG mask is not inflated: ${png} vs ${jpeg}`);
  const warnings = await page.$$eval('.grey-warning', (ps) => ps.map((p) => p.textContent));
  assert.equal(warnings.length, 1, 'only the JPEG mask is warned about');
  assert.match(warnings[0], /^[\d.]+ % of this mask's pixels are grey.*Save masks as PNG/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("issue 15 item 9: an image's object share is one number in the list, the caption and the status", async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  assert.match(await upload(page, await photoWithMask(page, 'board-led.jpg', 'led', { r: 0.33 })), /Added 1 image/);
  const [facts] = await listFacts(page);
  assert.match(facts, /^720×477, trained at 256×170 · [\d.]+ % object/);
  const list = objectPercent(facts);
  const caption = Number((await page.textContent('#mask-caption')).match(/([\d.]+) % object/)[1]);
  const status = Number((await page.textContent('#status')).match(/([\d.]+) % object pixels overall/)[1]);
  assert.deepEqual([list, caption, status], [list, list, list]);
  // A new training size changes the share, everywhere at once.
  await setNumber(page, '#train-side', 64);
  const [smaller] = await listFacts(page);
  const captionNow = Number((await page.textContent('#mask-caption')).match(/([\d.]+) % object/)[1]);
  assert.equal(objectPercent(smaller), captionNow);
  assert.deepEqual(errors, []);
  await page.close();
});

const shapesText = (page) => page.textContent('#shapes');

test('issue 15 item 4: uploaded photographs train on crops chosen for them, and the page says so', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  assert.equal(await page.inputValue('#setting-patch'), '32', 'the demo scenes train on 32-pixel crops');
  assert.equal(await page.textContent('#data-fitted'), '');
  assert.match(await upload(page, await photoWithMask(page, 'board.jpg', 'board')), /Added 1 image and 1 mask/);
  // 720×477 trains at 256×170: crops of half the shortest side, in multiples of 8.
  assert.equal(await page.inputValue('#setting-patch'), '80');
  assert.match(
    await page.textContent('#data-fitted'),
    /^Trains on 80-pixel crops, chosen for your images: about half their shortest training side \(170 px\)/,
  );
  assert.match(await shapesText(page), /\(4, 80, 80, 3\)/);
  await setNumber(page, '#train-side', 128);
  assert.equal(await page.inputValue('#setting-patch'), '40', 'a new training size, crops that fit it');
  assert.deepEqual(errors, []);
  await page.close();

  // A patch size the user chose stays.
  const { page: chosen, errors: chosenErrors } = await openPage(browser.context, browser.url);
  await setNumber(chosen, '#setting-patch', 48);
  await upload(chosen, await photoWithMask(chosen, 'board.jpg', 'board'));
  assert.equal(await chosen.inputValue('#setting-patch'), '48');
  assert.equal(await chosen.textContent('#data-fitted'), '');
  assert.match(await shapesText(chosen), /\(4, 48, 48, 3\)/);
  assert.deepEqual(chosenErrors, []);
  await chosen.close();
});

test('issue 15 item 7: the receiver of a link is told the size its images train at, and why they have no names', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await upload(page, await photoWithMask(page, 'board.jpg', 'board'));
  await page.click('#share-heading');
  await setNumber(page, '#link-side', 64);
  assert.match(
    await page.textContent('#link-reproduces'),
    /smaller copies of your images \(64 px; you train at 256 px\)/,
  );
  const link = await page.inputValue('#link');
  assert.deepEqual(errors, []);
  await page.close();

  const fresh = await openBrowser();
  const opened = await openPage(fresh.context, link.replace(/^http:\/\/[^/]+\//, fresh.url));
  const status = await opened.page.textContent('#status');
  assert.match(status, /the link's images; file names do not travel in links, trained at up to 64 px/);
  assert.doesNotMatch(status, /256/);
  await opened.page.click('#uploads summary');
  assert.deepEqual(await opened.page.$$eval('#upload-list li', (items) => items.map((li) => li.dataset.name)), [
    'image 1 of the link',
  ]);
  assert.match(await opened.page.textContent('.object-fraction'), /^64×43 · /);
  assert.match(await opened.page.textContent('#image-caption'), /^image 1 of the link, 64×43/);
  assert.deepEqual(opened.errors, []);
  await fresh.close();
});

/** A 64×64 animated GIF of two frames (a black screen, then one white pixel), written byte by byte. */
function animatedGif() {
  const frame = (x, lzw) => [
    ...[0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00], // graphic control: 0.1 s
    ...[0x2c, x, 0x00, x, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00], // a 1×1 frame at (x, x)
    ...[0x02, 0x02, ...lzw, 0x00], // LZW: clear, the pixel's index, end
  ];
  const bytes = [
    ...Buffer.from('GIF89a'),
    ...[0x40, 0x00, 0x40, 0x00, 0x80, 0x00, 0x00], // 64×64, a global table of 2 colours
    ...[0, 0, 0, 255, 255, 255],
    ...[0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00],
    ...frame(0, [0x44, 0x01]),
    ...frame(1, [0x4c, 0x01]),
    0x3b,
  ];
  return { name: 'blink.gif', mimeType: 'image/gif', buffer: Buffer.from(bytes) };
}

test('issue 15 item 10: an animated GIF and a 3×10000 strip are not taken silently', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  assert.match(
    await upload(page, [animatedGif()]),
    /^Added 1 image and 0 masks\. blink\.gif: an animated GIF; its first frame is used\.$/,
  );
  const strip = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(3, 10000);
    const c = canvas.getContext('2d');
    c.fillStyle = '#345';
    c.fillRect(0, 0, 3, 10000);
    return [...new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())];
  });
  const message = await upload(page, [{ name: 'strip.png', mimeType: 'image/png', buffer: Buffer.from(strip) }]);
  assert.match(message, /strip\.png: 3×10000 pixels would train at 1×256, too thin to learn from/);
  assert.deepEqual(
    await page.$$eval('#upload-list li', (items) => items.map((li) => li.dataset.name)),
    ['blink.gif'],
    'the strip is not added',
  );
  assert.deepEqual(errors, []);
  await page.close();
});
