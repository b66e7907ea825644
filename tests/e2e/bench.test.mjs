// Smoke test of the benchmark page (www/bench.html; the full run is scripts/bench.sh): ours trains W2 in
// both builds with equal losses (the portable build is the simd128 build's bit-identical twin), the peak
// microbenchmark reports a rate and the chains × unroll that reached it, ours trains W1 on the bench's own images (in the page and in a scaling
// worker). Peers are not vendored by build.sh, so they are not exercised here.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser } from './browser.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

test('the bench page times both builds of ours on W2, with bit-identical losses, and measures the peak', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${browser.url}bench.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const { w2, w1, scaling, peak, flops } = await page.evaluate(async () => ({
    w2: await window.segbench.benchWorkload('W2', {
      frameworks: ['ours-simd128', 'ours-portable'],
      warmup: 1,
      rounds: 2,
    }),
    w1: await window.segbench.benchWorkload('W1', { frameworks: ['ours-simd128'], warmup: 0, rounds: 1 }),
    scaling: await window.segbench.benchScaling('W1', [1], { seconds: 1 }),
    peak: await window.segbench.measurePeak(true, {
      trials: 2,
      ms: 30,
      sweepTrials: 1,
      sweepMs: 10,
      grid: { chains: [8, 15], unrolls: [2, 7] },
    }),
    flops: window.segbench.flopsPerStep(window.segbench.WORKLOADS.W1),
  }));
  assert.deepEqual(errors, []);
  const [simd, portable] = w2.results;
  for (const r of w2.results) {
    assert.equal(r.error, undefined, `${r.id}: ${r.error}`);
    assert.equal(r.samples.length, 2);
    assert.ok(r.msPerStep > 0 && r.gflops > 0);
  }
  assert.equal(simd.kernel, 'simd128-f32');
  assert.equal(portable.kernel, 'portable-f32');
  assert.equal(simd.lastLoss, portable.lastLoss);
  const [ours] = w1.results;
  assert.equal(ours.error, undefined, `W1: ${ours.error}`);
  assert.ok(ours.lastLoss > 0 && ours.lastLoss < 1, `W1 loss ${ours.lastLoss}`);
  assert.ok(scaling.scaling[0].stepsPerSecondTotal > 0, JSON.stringify(scaling));
  assert.ok(peak.gflops > 0.1, `peak ${peak.gflops} GFLOP/s`);
  // The peak names the configuration that won; every configuration of the grid was timed.
  assert.deepEqual(
    peak.sweep.map(({ chains, unroll }) => `${chains}×${unroll}`),
    ['8×2', '8×7', '15×2', '15×7'],
  );
  assert.ok(peak.sweep.some(({ chains, unroll }) => chains === peak.chains && unroll === peak.unroll));
  assert.ok(
    peak.sweep.every(({ gflops }) => Number.isFinite(gflops) && gflops > 0),
    JSON.stringify(peak.sweep),
  );
  // 2·4·128²·(2·(3·3·3·32 + 3·3·32·32 + 32) + 3·3·32·32 + 32) = 3_862_953_984, as ModelConfig::flops_per_step.
  assert.equal(flops, 3_862_953_984);
});
