// What a user does: open the page, pick a demo, choose three losses, train to the end, compare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { openBrowser, openPage, setLosses } from './browser.mjs';

const SHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;
let browser;
before(async () => {
  browser = await openBrowser();
  await mkdir(SHOTS, { recursive: true });
  // Records every main-thread task over 50 ms from the first moment of the page.
  await browser.context.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
});
after(async () => { await browser.close(); });

test('train three losses on blobs: table filled, best held-out Dice ≥ 0.8, masks differ, no long tasks', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await page.selectOption('#scene', 'blobs');
  await setLosses(page, ['bce', 'dice', 'focal']);
  assert.deepEqual(await page.$$eval('#loss-list code', (codes) => codes.map((c) => c.textContent)), ['bce', 'dice', 'focal']);
  await page.fill('#steps', '300');
  await page.press('#steps', 'Tab');
  await page.waitForFunction(() => document.querySelectorAll('.run-column').length === 3
    && document.querySelector('.run-status')?.textContent.includes('/300'));
  // Long tasks while training count; those of loading the page and the scene do not.
  await page.evaluate(() => { window.longTasks.length = 0; });
  await page.click('#train');
  await page.waitForSelector('body[data-training="true"]');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 240_000 });
  await page.waitForTimeout(500); // let the last frame draw

  const rows = await page.$$eval('#summary tbody tr', (trs) => trs.map((tr) => ({
    spec: tr.querySelector('[data-key="spec"]').textContent,
    dice: Number(tr.querySelector('[data-key="dice"]').textContent),
    checksum: tr.querySelector('[data-key="checksum"]').textContent,
  })));
  assert.equal(rows.length, 3);
  for (const row of rows) {
    assert.ok(Number.isFinite(row.dice), `${row.spec} has no Dice`);
    assert.match(row.checksum, /^[0-9a-f]{16}$/);
  }
  const best = Math.max(...rows.map((r) => r.dice));
  assert.ok(best >= 0.8, `best held-out Dice ${best}`);

  const masks = await page.$$eval('.run-column canvas[data-kind="mask"]', (canvases) => canvases.map((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) hash = (hash * 31 + data[i]) >>> 0;
    return hash;
  }));
  assert.equal(new Set(masks).size, 3, 'each loss draws its own mask');

  const longTasks = await page.evaluate(() => window.longTasks);
  assert.deepEqual(longTasks, [], `main-thread tasks over 50 ms: ${longTasks.join(', ')} ms`);
  assert.deepEqual(errors, []);

  await page.screenshot({ path: `${SHOTS}/page-1440.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/page-375.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375 px`);
  await page.close();
});

test('keyboard: T trains, P pauses, R resets', async () => {
  const { page } = await openPage(browser.context, browser.url);
  await page.fill('#steps', '2000');
  await page.press('#steps', 'Tab');
  await page.waitForFunction(() => [...document.querySelectorAll('.run-status')]
    .every((status) => status.textContent.endsWith('/2000 · ready')));
  await page.keyboard.press('t');
  await page.waitForSelector('body[data-training="true"]');
  await page.keyboard.press('p');
  await page.waitForSelector('body[data-training="false"]');
  const paused = await page.$$eval('.run-status', (s) => s.map((e) => e.textContent));
  assert.ok(paused.every((text) => text.includes('paused')), paused.join(' | '));
  await page.keyboard.press('r');
  await page.waitForFunction(() => [...document.querySelectorAll('.run-status')].every((s) => s.textContent.startsWith('step 0/')));
  await page.close();
});

test('a diverging run stops with its reason while the others finish', async () => {
  const { page } = await openPage(browser.context, browser.url);
  await page.selectOption('#optimizer', 'sgd');
  await page.fill('#lr', '10');
  await page.press('#lr', 'Tab');
  await page.fill('#steps', '60');
  await page.press('#steps', 'Tab');
  await page.click('#train');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 120_000 });
  const statuses = await page.$$eval('.run-status', (s) => s.map((e) => e.textContent));
  assert.ok(statuses.some((text) => /diverged at step \d+/.test(text)), statuses.join(' | '));
  await page.close();
});

test('an invalid loss spec is refused with a message and the runs stay', async () => {
  const { page } = await openPage(browser.context, browser.url);
  const before = await page.$$eval('#loss-list code', (c) => c.length);
  await page.fill('#loss-spec', 'focal(gamma=banana)');
  await page.click('#add-loss');
  await page.waitForFunction(() => document.querySelector('#settings-error').textContent.length > 0);
  assert.match(await page.textContent('#settings-error'), /gamma/);
  assert.equal(await page.$$eval('#loss-list code', (c) => c.length), before);
  await page.close();
});
