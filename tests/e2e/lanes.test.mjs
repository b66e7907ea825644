// The lane policy (www/js/lanes.js) as the run pool uses it: every core trains while the user is away,
// one core is given up from the first input until the user has been quiet for a while, never below one.

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

test('lanes: all cores while the user is away, one fewer after an input, back after the quiet time', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const seen = await page.evaluate(async () => {
    const { LanePolicy } = await import('./js/lanes.js');
    const target = new EventTarget();
    const policy = new LanePolicy({ cores: 4, quietMs: 300, target });
    const single = new LanePolicy({ cores: 1, quietMs: 300, target });
    const rose = new Promise((resolve) => (policy.onRise = resolve));
    const away = [policy.lanes, single.lanes];
    target.dispatchEvent(new Event('keydown'));
    target.dispatchEvent(new Event('pointermove'));
    const interacting = [policy.lanes, single.lanes];
    await rose;
    return { away, interacting, back: [policy.lanes, single.lanes] };
  });
  assert.deepEqual(seen, { away: [4, 1], interacting: [3, 1], back: [4, 1] });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the pool trains as many runs at once as the policy allows', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const active = await page.evaluate(async () => {
    const { loadEngine } = await import('./js/engine.js');
    const { RunPool } = await import('./js/runs.js');
    const { LanePolicy } = await import('./js/lanes.js');
    const engine = await loadEngine();
    const target = new EventTarget();
    const policy = new LanePolicy({ cores: 2, quietMs: 3_600_000, target });
    let ready = () => {};
    const pool = new RunPool(engine, () => pool.runs.every((run) => run.status === 'ready') && ready(), policy);
    const allReady = new Promise((resolve) => (ready = resolve));
    pool.start({
      query: 'v=1&demo=blobs&losses=bce;dice;focal&steps=400',
      specs: ['bce', 'dice', 'focal'],
      total: 400,
      evalEvery: 20,
      view: { split: 'train', index: 0 },
      threshold: 0.5,
    });
    await allReady;
    pool.train();
    const away = pool.active.size;
    pool.pause();
    pool.stop();
    // The same three runs with the user at the controls: one lane fewer.
    const again = new Promise((resolve) => (ready = resolve));
    pool.start({
      query: 'v=1&demo=blobs&losses=bce;dice;focal&steps=400',
      specs: ['bce', 'dice', 'focal'],
      total: 400,
      evalEvery: 20,
      view: { split: 'train', index: 0 },
      threshold: 0.5,
    });
    await again;
    target.dispatchEvent(new Event('pointerdown'));
    pool.train();
    const interacting = pool.active.size;
    pool.stop();
    return { away, interacting };
  });
  assert.deepEqual(active, { away: 2, interacting: 1 });
  assert.deepEqual(errors, []);
  await page.close();
});
