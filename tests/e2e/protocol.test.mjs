// The worker protocol (www/js/runs.js ↔ worker.js), driven in the page: a request that fails gets its
// own error reply and leaves its run as it was; the run still trains and answers the next request.

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

test('a failed export is an error of that request, not of the run', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const outcome = await page.evaluate(async () => {
    const { loadEngine } = await import('./js/engine.js');
    const { RunPool } = await import('./js/runs.js');
    const engine = await loadEngine();
    // Resolves when `test()` holds, checked after each message from the workers.
    const waiters = [];
    const until = (test) => new Promise((resolve) => (test() ? resolve() : waiters.push({ test, resolve })));
    const pool = new RunPool(engine, () => {
      for (const waiter of [...waiters]) {
        if (waiter.test()) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
    pool.start({
      query: 'v=1&demo=blobs&losses=bce&steps=4&seeds=1',
      specs: ['bce'],
      total: 4,
      evalEvery: 20,
      view: { split: 'train', index: 0 },
      threshold: 0.5,
    });
    const [run] = pool.runs;
    await until(() => run.status === 'ready');
    let refused = '';
    try {
      await pool.exportMasks(run, { train: 99 }, 0.5);
    } catch (error) {
      refused = error.message;
    }
    const statusAfter = run.status;
    pool.step(2);
    await until(() => run.snapshot?.step === 2);
    const weights = await pool.exportWeights(run);
    pool.stop();
    return {
      refused,
      statusAfter,
      status: run.status,
      step: run.step,
      bytes: weights.npz.byteLength,
      weightsStep: weights.step,
    };
  });
  assert.match(outcome.refused, /^train image \d+ does not exist/);
  assert.equal(outcome.statusAfter, 'ready', 'the run is not marked failed');
  assert.equal(outcome.step, 2);
  assert.equal(outcome.weightsStep, 2);
  assert.ok(outcome.bytes > 1000, `${outcome.bytes} bytes of weights`);
  assert.deepEqual(errors, []);
  await page.close();
});
