// The Keras panel: after a short run the page shows the loss and model code of the selected run, and
// downloads its weights (.npz in Keras layout), predicted masks (.png) and curves / metrics (.csv).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nextFrames, openBrowser, openPage, setLosses, setSeeds } from './browser.mjs';

// Built by scripts/test.sh; its Keras export is what scripts/keras_verify.sh checks in Keras.
const CLI = new URL('../../target/e2e/segloss', import.meta.url).pathname;

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

test('Keras code for the selected run, and its weights, masks and curves as files', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.selectOption('#scene', 'blobs');
  await setLosses(page, ['0.5*bce+0.5*dice', 'wbce(scope=dataset)']);
  await setSeeds(page, 1);
  await page.fill('#setting-steps', '20');
  await page.press('#setting-steps', 'Tab');
  await page.waitForFunction(() => document.querySelector('.run-status')?.textContent.includes('/20'));

  assert.equal(await page.inputValue('#keras-run'), '0', 'the first run is selected');
  const loss = await page.textContent('#keras-loss');
  assert.match(loss, /^def loss\(y_true, y_pred\):$/m);
  assert.ok(loss.includes('return 0.5 * _bce_1(x, y) + 0.5 * _dice_2(x, y)'), loss);
  assert.ok(loss.includes('y_true: (batch, H, W, 1)'), loss);
  const model = await page.textContent('#keras-model');
  assert.equal((model.match(/layers\.Conv2D\(/g) ?? []).length, 3, model);
  assert.ok(
    model.includes('layers.Conv2D(32, 3, padding="same", dilation_rate=1, activation="relu", name="conv1")'),
    model,
  );
  assert.ok(model.includes('model.compile(optimizer=keras.optimizers.Adam('), model);
  assert.equal(await page.isDisabled('#keras-weights'), true, 'nothing to download before training');

  await page.selectOption('#keras-run', '1');
  const weighted = await page.textContent('#keras-loss');
  assert.match(weighted, /w_bg, w_fg = [0-9.e-]+, [0-9.e-]+\n/, 'dataset class weights are inlined');

  // The training script of the selected run is the CLI's, which keras_verify runs in Keras + JAX.
  const script = await downloaded(page, '#keras-train-script');
  assert.equal(script.name, 'train_segloss_wbce_scope=dataset_.py');
  const cliScript = execFileSync(
    CLI,
    ['keras', '--link', await page.inputValue('#link'), '--train-script', '--run', '1'],
    { encoding: 'utf8' },
  );
  assert.equal(script.bytes.toString(), cliScript);
  assert.match(cliScript, /w_bg, w_fg = DATASET_CLASS_WEIGHTS\["inverse_frequency"\]/);

  await page.click('#train');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 120_000 });
  await page.waitForFunction(() => !document.querySelector('#keras-weights').disabled);

  // Default model: 3·3·3·32 + 32 + 3·3·32·32 + 32 + 32·1 + 1 = 10177 float32 = 40708 bytes, plus six
  // .npy headers and the zip directory.
  const weights = await downloaded(page, '#keras-weights');
  assert.match(weights.name, /^segloss-2-wbce_scope=dataset_-step20-weights\.npz$/);
  assert.equal(weights.bytes.subarray(0, 2).toString(), 'PK');
  assert.ok(weights.bytes.length > 40708 && weights.bytes.length < 40708 + 2000, `${weights.bytes.length} bytes`);
  assert.ok(weights.bytes.includes('head_kernel.npy'));
  // The page's file is byte for byte the CLI's export of the same link, which keras_verify loads
  // into the generated Keras model and checks against our predictions.
  const exported = await mkdtemp(join(tmpdir(), 'segloss-keras-'));
  execFileSync(CLI, ['keras', '--link', await page.inputValue('#link'), '--export-dir', exported]);
  assert.ok(weights.bytes.equals(await readFile(join(exported, 'run1-weights.npz'))), 'page and CLI weights differ');
  await rm(exported, { recursive: true, force: true });

  const masks = await downloaded(page, '#keras-masks');
  assert.deepEqual([...masks.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG');
  const width = masks.bytes.readUInt32BE(16);
  const height = masks.bytes.readUInt32BE(20);
  assert.ok(width >= 96 * 2 && height === 96 * 2 + 4, `mask sheet ${width}×${height}`);

  const curves = (await downloaded(page, '#keras-curves')).bytes.toString();
  const lines = curves.trim().split('\n');
  assert.equal(lines[0], 'step,loss,heldout_dice,heldout_iou');
  assert.equal(lines.at(-1).split(',')[0], '20');
  const metrics = (await downloaded(page, '#keras-metrics')).bytes.toString();
  assert.match(metrics, /^run,loss,split,dice,iou,precision,recall,accuracy,steps,status,weights_checksum\n/);
  assert.ok(metrics.includes('1,0.5*bce+0.5*dice,heldout,'), metrics);

  await page.setViewportSize({ width: 375, height: 800 });
  await nextFrames(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375 px`);
  assert.deepEqual(errors, []);
});
