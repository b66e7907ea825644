// The page as a user first sees it: the engine loads, the footer names the kernel, the demo is drawn.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasStats, openBrowser, openPage } from './browser.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

test('loads the simd128 engine and says so in the footer', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const footer = await page.textContent('#build-info');
  assert.match(footer, /kernel simd128-f32/);
  assert.match(footer, /wasm SIMD on/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('draws a textured demo image and its mask, with the object fraction shown', async () => {
  const { page } = await openPage(browser.context, browser.url);
  const image = await canvasStats(page, '#image-canvas');
  const mask = await canvasStats(page, '#mask-canvas');
  assert.equal(image.width, 96);
  assert.ok(image.distinct > 500, `image has only ${image.distinct} distinct colours: not textured`);
  assert.equal(mask.distinct, 2, 'the mask is binary');
  assert.ok(mask.whiteFraction > 0.005 && mask.whiteFraction < 0.6, `object fraction ${mask.whiteFraction}`);
  const caption = await page.textContent('#mask-caption');
  const shown = Number(caption.match(/([\d.]+) % object/)[1]) / 100;
  assert.ok(Math.abs(shown - mask.whiteFraction) < 0.001, `caption says ${shown}, canvas has ${mask.whiteFraction}`);
  await page.close();
});

test('changing scene and seed redraws the image', async () => {
  const { page } = await openPage(browser.context, browser.url);
  const before = await canvasStats(page, '#image-canvas');
  await page.selectOption('#scene', 'blobs');
  await page.fill('#seed', '42');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => document.querySelector('#image-caption').textContent.includes('seed 42'));
  const after = await canvasStats(page, '#image-canvas');
  assert.notEqual(after.mean, before.mean);
  const status = await page.textContent('#status');
  assert.match(status, /seed 42/);
  await page.close();
});

test("a bad seed gets the engine's message: what it used instead, and the control shows it", async () => {
  const { page } = await openPage(browser.context, browser.url);
  await page.fill('#seed', '1.5');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('whole number'));
  assert.match(await page.textContent('#status'), /seed 2\).*seed must be a whole number, not "1\.5"; used 2/);
  assert.equal(await page.inputValue('#seed'), '2');
  await page.fill('#seed', '-5');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('out of range'));
  assert.match(
    await page.textContent('#status'),
    /seed 0\).*seed -5 is out of range: use 0 to 9007199254740991; used 0/,
  );
  assert.equal(await page.inputValue('#seed'), '0');
  await page.close();
});

test('?simd=off loads the portable build and says so', async () => {
  const { page } = await openPage(browser.context, `${browser.url}?simd=off`);
  assert.match(await page.textContent('#build-info'), /kernel portable-f32 · wasm SIMD off/);
  await page.close();
});
