// Measures what a dataset of 256 image–mask pairs of 1024 × 1024 pixels costs the page: the time from
// choosing the folder to the page's "Added …" (decode in workers, Otsu/mask rules, encoding at the
// training size), and the memory then and once every run's worker holds the dataset: the main
// thread's JS heap (CDP Performance.getMetrics; ArrayBuffers such as the kept pixels live outside it), the wasm memory of the page's engine and of each
// worker, and the resident memory of the browser's process tree; and the main thread's tasks over 50 ms
// while the folder is read. Prints JSON with the load average.
// Usage: node scripts/bench-dataset.mjs [count] [side]   (dist/ built by scripts/build.sh)

import { execSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const COUNT = Number(process.argv[2] ?? 256);
const SIDE = Number(process.argv[3] ?? 1024);
const DIST = new URL('../dist/', import.meta.url).pathname;
const MB = (bytes) => Math.round(bytes / 1e5) / 10;
const load = () => os.loadavg().map((l) => +l.toFixed(2));

/** Resident memory of the browser's process and all its descendants, in bytes (Linux ps). */
function browserRss(root) {
  const rows = execSync('ps -eo pid=,ppid=,rss=', { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return rows.filter(([pid]) => tree.has(pid)).reduce((sum, [, , rss]) => sum + rss * 1024, 0);
}

/** A photo-like JPEG and its PNG mask (an ellipse) per pair, drawn in the page. */
async function writePairs(page, dir) {
  await mkdir(join(dir, 'images'));
  await mkdir(join(dir, 'masks'));
  for (let i = 0; i < COUNT; i++) {
    const { image, mask } = await page.evaluate(
      async ({ i, side }) => {
        const draw = async (kind) => {
          const canvas = new OffscreenCanvas(side, side);
          const c = canvas.getContext('2d');
          c.fillStyle = kind === 'image' ? `hsl(${(i * 47) % 360}, 40%, 70%)` : '#000';
          c.fillRect(0, 0, side, side);
          if (kind === 'image') {
            for (let k = 0; k < 300; k++) {
              c.fillStyle = `rgba(${(k * 53) % 255}, ${(k * 97) % 255}, 90, 0.3)`;
              c.fillRect((k * 137 + i * 11) % side, (k * 71 + i * 7) % side, 12, 12);
            }
          }
          c.fillStyle = kind === 'image' ? '#402010' : '#fff';
          c.beginPath();
          c.ellipse(side / 2, side / 2, side * (0.05 + (i % 20) / 60), side * 0.1, i, 0, 2 * Math.PI);
          c.fill();
          const type = kind === 'image' ? 'image/jpeg' : 'image/png';
          const bytes = new Uint8Array(await (await canvas.convertToBlob({ type, quality: 0.9 })).arrayBuffer());
          let text = '';
          for (let k = 0; k < bytes.length; k += 0x8000) text += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
          return btoa(text);
        };
        return { image: await draw('image'), mask: await draw('mask') };
      },
      { i, side: SIDE },
    );
    const name = `img_${String(i).padStart(3, '0')}`;
    await writeFile(join(dir, 'images', `${name}.jpg`), Buffer.from(image, 'base64'));
    await writeFile(join(dir, 'masks', `${name}.png`), Buffer.from(mask, 'base64'));
  }
}

/** Bytes of wasm memory of the engine in this realm (wasm-bindgen's init returns the live instance). */
const wasmBytes = (realm) =>
  realm.evaluate(async () => {
    const url = new URL('pkg/simd128/segloss.js', self.location.href.replace(/js\/[^/]*$/, '')).href;
    const exports = await (await import(url)).default();
    return exports.memory.buffer.byteLength;
  });

async function memory(page, cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const workers = [];
  for (const worker of page.workers()) {
    try {
      workers.push(await wasmBytes(worker));
    } catch {
      workers.push(null); // a worker without the engine (the .zip reader)
    }
  }
  return {
    jsHeapUsedMB: MB(metric('JSHeapUsedSize')),
    jsHeapTotalMB: MB(metric('JSHeapTotalSize')),
    pageWasmMB: MB(await wasmBytes(page)),
    workerWasmMB: workers.filter((w) => w !== null).map(MB),
    browserRssMB: MB(browserRss(browserPid)),
  };
}

const dir = await mkdtemp(join(os.tmpdir(), 'segloss-bench-dataset-'));
const server = await startServer(DIST, 0, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    `--segloss-bench=${process.pid}`,
  ],
});
// The browser process is the one started with this run's marker flag.
const browserPid = Number(
  execSync('ps -eo pid=,args=', { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.includes(`--segloss-bench=${process.pid}`) && !l.includes('--type='))
    .trim()
    .split(/\s+/)[0],
);
try {
  const url = `http://127.0.0.1:${server.address().port}/`;
  const maker = await browser.newPage();
  await maker.goto(url);
  await writePairs(maker, dir);
  await maker.close();
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await memory(page, cdp);
  // Main-thread tasks over 50 ms while the folder is read: how responsive the page stays.
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
  });
  const loadBefore = load();
  const started = Date.now();
  await page.setInputFiles('#folder-input', dir);
  await page.waitForFunction(
    () => /^(Added|Cancelled)/.test(document.getElementById('upload-message').textContent),
    null,
    {
      timeout: 1_800_000,
    },
  );
  const decodeSeconds = (Date.now() - started) / 1000;
  const longTasks = await page.evaluate(() => window.longTasks);
  const added = await memory(page, cdp);
  const message = await page.textContent('#upload-message');
  await page.waitForFunction(
    () => [...document.querySelectorAll('.run-status')].every((s) => s.textContent.includes('· ready')),
    null,
    { timeout: 1_800_000 },
  );
  const readySeconds = (Date.now() - started) / 1000;
  const ready = await memory(page, cdp);
  const result = {
    images: COUNT,
    side: SIDE,
    decodeWorkers: await page.evaluate(() => Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2))),
    message,
    decodeSeconds,
    runsReadySeconds: readySeconds,
    mainThreadTasksOver50ms: {
      count: longTasks.length,
      longestMs: Math.round(Math.max(0, ...longTasks)),
      totalMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
    },
    loadAverage: { before: loadBefore, after: load() },
    cores: os.cpus().length,
    memory: { before, added, runsReady: ready },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
