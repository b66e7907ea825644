// The engine's side of "your own data", driven from the page: images the browser encoded and decoded
// itself become a dataset, bad masks are refused with a message while earlier images stay, and a run
// trains on the result. (The upload panel itself is not built yet.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, openPage } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser.close(); });

test('decoded JPEG and PNG uploads build a dataset a run trains on; bad masks are refused', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const result = await page.evaluate(async () => {
    const { loadEngine } = await import('./js/engine.js');
    const { api } = await loadEngine();
    // Round-trips pixels through the browser's encoder and decoder, as an uploaded file would.
    const throughFile = async (width, height, pixel, type) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      const image = context.createImageData(width, height);
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) image.data.set(pixel(x, y), (y * width + x) * 4);
      }
      context.putImageData(image, 0, 0);
      const bitmap = await createImageBitmap(await canvas.convertToBlob({ type }));
      const decoded = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      decoded.drawImage(bitmap, 0, 0);
      return { rgba: decoded.getImageData(0, 0, bitmap.width, bitmap.height).data, width, height };
    };
    const inDisc = (x, y) => (x - 220) ** 2 + (y - 140) ** 2 < 90 ** 2;
    const photo = await throughFile(400, 300, (x, y) => {
      const grain = (x * 7919 + y * 104729) % 37;
      return inDisc(x, y) ? [190 + grain, 90, 60, 255] : [40 + grain, 80 + (y >> 2), 120, 255];
    }, 'image/jpeg');
    const mask = await throughFile(400, 300, (x, y) => (inDisc(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255]), 'image/png');
    const small = await throughFile(200, 150, () => [0, 0, 0, 255], 'image/png');
    const empty = await throughFile(400, 300, () => [0, 0, 0, 255], 'image/png');

    const builder = new api.DatasetBuilder(64);
    const add = (m, heldout) => builder.add(photo.rgba, photo.width, photo.height, m.rgba, m.width, m.height, heldout);
    const coverage = [add(mask, false), add(mask, true)];
    let refused = '';
    try { add(small, false); } catch (error) { refused = error.message; }
    coverage.push(add(empty, false));
    const otsu = builder.add(photo.rgba, photo.width, photo.height, new Uint8Array(), 0, 0, false);
    const dataset = builder.build('mine');
    const query = api.normalizeExperiment('').query;
    const run = api.Run.withData(query, 0, dataset);
    run.step(5);
    return {
      coverage, otsu, refused,
      counts: [dataset.count('train'), dataset.count('heldout')],
      size: [dataset.width('train', 0), dataset.height('train', 0)],
      fraction: dataset.foregroundFraction('train', 0),
      steps: run.stepCount(),
      dice: run.evaluate().heldout.dice,
    };
  });
  assert.deepEqual(result.coverage, ['mixed', 'mixed', 'empty']);
  assert.equal(result.otsu, 'mixed');
  assert.match(result.refused, /200×150.*400×300/);
  assert.deepEqual(result.counts, [3, 1], 'the refused image left the others in place');
  assert.deepEqual(result.size, [64, 48], 'downscaled to the longest side, aspect kept');
  const disc = Math.PI * 90 ** 2 / (400 * 300);
  assert.ok(Math.abs(result.fraction - disc) < 0.02, `object fraction ${result.fraction}, disc ${disc}`);
  assert.equal(result.steps, 5);
  assert.ok(Number.isFinite(result.dice));
  assert.deepEqual(errors, []);
  await page.close();
});
