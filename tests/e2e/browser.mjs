// Shared set-up of the end-to-end tests: serve dist/ on localhost and drive Debian's Chromium.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Starts a server and a browser; returns { url, context, close }. `prefix` mounts dist/ under a sub-path;
 *  `types` overrides the server's content types by extension. */
export async function openBrowser({ prefix = '/', types = {} } = {}) {
  const server = await startServer(DIST, 0, prefix, types);
  const userDataDir = await mkdtemp(join(tmpdir(), 'segloss-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
  });
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return {
    url,
    context,
    async close() {
      await context.close();
      await new Promise((done) => server.close(done));
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the page and waits until the engine is loaded and the demo drawn; fails on page errors. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

/** Statistics of a canvas's pixels as the user sees them: distinct grey levels, mean, fraction white. */
export function canvasStats(page, selector) {
  return page.$eval(selector, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const levels = new Set();
    let sum = 0,
      white = 0,
      colourful = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      levels.add((r << 16) | (g << 8) | b);
      sum += (r + g + b) / 3;
      if (r > 200 && g > 200 && b > 200) white += 1;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 20) colourful += 1;
    }
    const n = data.length / 4;
    return {
      width: canvas.width,
      height: canvas.height,
      distinct: levels.size,
      mean: sum / n,
      whiteFraction: white / n,
      colourFraction: colourful / n,
    };
  });
}

/** Presses Train once every run is ready, waits until all finish, and returns the summary rows
 *  ({ spec, dice, checksum, … } as shown), sorted by spec. */
export async function trainToEnd(page, timeout = 180_000) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.run-status')].every((status) => status.textContent.includes('· ready')),
  );
  await page.click('#train');
  await page.waitForSelector('body[data-finished="true"]', { timeout });
  // The redraw that marks the page finished renders the summary first (redraw.js): it shows the end.
  return page.$$eval('#summary tbody tr', (rows) =>
    rows
      .map((row) =>
        Object.fromEntries([...row.querySelectorAll('[data-key]')].map((cell) => [cell.dataset.key, cell.textContent])),
      )
      .sort((a, b) => a.spec.localeCompare(b.spec)),
  );
}

/** Resolves after the page has drawn its next frames: what was scheduled before (a resize, a stroke's
 *  redraw) has been drawn then. */
export function nextFrames(page) {
  return page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Sets the number of seeds through the page's control: 1 where a test does not test repeats, so it
 *  trains one run per loss. */
export async function setSeeds(page, seeds) {
  await page.fill('#setting-seeds', String(seeds));
  await page.press('#setting-seeds', 'Tab');
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('.run-column').length > 0 &&
      document.querySelector('#setting-seeds').value === String(n),
    seeds,
  );
}

/** Replaces the experiment's losses by `specs` through the page's controls. */
export async function setLosses(page, specs) {
  while ((await page.$$('#loss-list button')).length > 1) await page.click('#loss-list li:last-child button');
  for (const spec of specs) {
    await page.fill('#loss-spec', spec);
    await page.click('#add-loss');
  }
  await page.click('#loss-list li:first-child button');
}
