// What a user does: open the page, pick a demo, choose three losses, train to the end, compare.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { nextFrames, openBrowser, openPage, setLosses, setSeeds } from './browser.mjs';
import { describe, recordResponsiveness, startRecording, stopRecording } from './responsiveness.mjs';

const SHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;
let browser;
before(async () => {
  browser = await openBrowser();
  await mkdir(SHOTS, { recursive: true });
  await recordResponsiveness(browser.context);
});
after(async () => {
  await browser.close();
});

// The budget a laptop user would feel, made fair to a busy two-core machine. A task's wall time is
// its CPU time plus the time the OS gave the cores to other processes (the run workers, other
// builds): on this machine at load 11-13 the page showed 24-48 long tasks of up to 152 ms of wall time
// that each used at most 24 ms of CPU, and the page before the rooms showed as many long tasks under
// the same load. Wall time measures the machine; the main thread's CPU time measures the page (its
// scripts, style, layout, paint and garbage collection). So the budget is on CPU time, which a laptop
// with idle cores turns into wall time: no main-thread task over 50 ms (a long task, felt as a stutter)
// and at most 3 a minute over 33 ms (two frames at 60 Hz: a hitch now and then, never every redraw,
// which comes ten times a second). Measured here: the heaviest tasks were 14-24 ms (the last redraw's
// layout and paint, a major GC). Wall-clock long tasks and frames are printed, not asserted.
const MAX_TASK_CPU_MS = 50;
const TWO_FRAMES_MS = 33;
const SLOW_PER_MINUTE = 3;

test('train three losses on blobs: table filled, best held-out Dice ≥ 0.8, masks differ, the page stays responsive', async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  await setSeeds(page, 1);
  await page.selectOption('#scene', 'blobs');
  await setLosses(page, ['bce', 'dice', 'focal']);
  assert.deepEqual(await page.$$eval('#loss-list code', (codes) => codes.map((c) => c.textContent)), [
    'bce',
    'dice',
    'focal',
  ]);
  await page.fill('#setting-steps', '300');
  await page.press('#setting-steps', 'Tab');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((status) => status.textContent.endsWith('/300 · ready')),
  );
  assert.equal(await page.$$eval('.run-column', (columns) => columns.length), 3);
  // Long tasks while training count; those of loading the page and the scene do not.
  const recording = await startRecording(browser.context, page);
  await page.click('#train');
  await page.waitForSelector('body[data-training="true"]');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 240_000 });
  const measured = await stopRecording(recording);
  console.log(`responsiveness while training:\n  ${describe(measured)}`);

  const rows = await page.$$eval('#summary tbody tr', (trs) =>
    trs.map((tr) => ({
      spec: tr.querySelector('[data-key="spec"]').textContent,
      dice: Number(tr.querySelector('[data-key="dice"]').textContent),
      checksum: tr.querySelector('[data-key="checksum"]').textContent,
    })),
  );
  assert.equal(rows.length, 3);
  for (const row of rows) {
    assert.ok(Number.isFinite(row.dice), `${row.spec} has no Dice`);
    assert.match(row.checksum, /^[0-9a-f]{16}$/);
  }
  const best = Math.max(...rows.map((r) => r.dice));
  assert.ok(best >= 0.8, `best held-out Dice ${best}`);

  // Each column shows its run's last snapshot (drawn in the redraw that marked the page finished).
  assert.deepEqual(await page.$$eval('.run-column', (columns) => columns.map((c) => c.dataset.drawnStep)), [
    '300',
    '300',
    '300',
  ]);
  const masks = await page.$$eval('.run-column canvas[data-kind="mask"]', (canvases) =>
    canvases.map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let hash = 0;
      for (let i = 0; i < data.length; i += 4) hash = (hash * 31 + data[i]) >>> 0;
      return hash;
    }),
  );
  assert.equal(new Set(masks).size, 3, 'each loss draws its own mask');

  assert.ok(measured.frames.count > 0 && measured.tasksTraced > 100, 'the recorders saw the page');
  // A task cut by the trace's start or end has no CPU time; the budget must still see nearly all of them.
  assert.ok(
    measured.tasksWithCpu >= 0.99 * measured.tasksTraced,
    `${measured.tasksTraced - measured.tasksWithCpu} of ${measured.tasksTraced} traced tasks have no CPU time`,
  );
  assert.ok(measured.cpu.max <= MAX_TASK_CPU_MS, `a main-thread task used ${Math.round(measured.cpu.max)} ms of CPU`);
  const slow = measured.cpuOver(TWO_FRAMES_MS);
  const allowed = Math.max(SLOW_PER_MINUTE, Math.ceil((SLOW_PER_MINUTE * measured.seconds) / 60));
  assert.ok(
    slow <= allowed,
    `${slow} main-thread tasks used over ${TWO_FRAMES_MS} ms of CPU in ${measured.seconds.toFixed(0)} s`,
  );
  assert.deepEqual(errors, []);

  await page.screenshot({ path: `${SHOTS}/page-1440.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await nextFrames(page);
  await page.screenshot({ path: `${SHOTS}/page-375.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375 px`);
  await page.close();
});

test('keyboard: T trains, P pauses, R resets', async () => {
  const { page } = await openPage(browser.context, browser.url);
  await setSeeds(page, 1);
  await page.fill('#setting-steps', '2000');
  await page.press('#setting-steps', 'Tab');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((status) => status.textContent.endsWith('/2000 · ready')),
  );
  // Tab left the focus in the next field (the seeds), where T is a letter, not a shortcut.
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('t');
  await page.waitForSelector('body[data-training="true"]');
  await page.keyboard.press('p');
  await page.waitForSelector('body[data-training="false"]');
  const paused = await page.$$eval('.run-status', (s) => s.map((e) => e.textContent));
  assert.ok(
    paused.every((text) => text.includes('paused')),
    paused.join(' | '),
  );
  await page.keyboard.press('r');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((s) => s.textContent.startsWith('step 0/')),
  );
  await page.close();
});

test('a diverging run stops with its reason while the others finish', async () => {
  const { page } = await openPage(browser.context, browser.url);
  await setSeeds(page, 1);
  await page.selectOption('#setting-opt', 'sgd');
  await page.fill('#setting-lr', '10');
  await page.press('#setting-lr', 'Tab');
  await page.fill('#setting-steps', '60');
  await page.press('#setting-steps', 'Tab');
  await page.click('#train');
  await page.waitForSelector('body[data-finished="true"]', { timeout: 120_000 });
  const statuses = await page.$$eval('.run-status', (s) => s.map((e) => e.textContent));
  assert.ok(
    statuses.some((text) => /diverged at step \d+/.test(text)),
    statuses.join(' | '),
  );
  await page.close();
});

test('an invalid loss spec is refused with a message and the runs stay', async () => {
  const { page } = await openPage(browser.context, browser.url);
  const before = await page.$$eval('#loss-list code', (c) => c.length);
  await page.fill('#loss-spec', 'focal(gamma=banana)');
  await page.click('#add-loss');
  await page.waitForFunction(() => document.querySelector('#loss-error').textContent.length > 0);
  assert.match(await page.textContent('#loss-error'), /gamma/);
  assert.equal(await page.$$eval('#loss-list code', (c) => c.length), before);
  await page.close();
});
