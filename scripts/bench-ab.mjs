// A/B of our builds in one page, interleaved: node scripts/bench-ab.mjs W1 simd128 simd128-try [rounds]
// (each name a directory under dist/pkg/). Prints median ms/step and GFLOP/s per build.

import os from 'node:os';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const [workload = 'W1', ...rest] = process.argv.slice(2);
const rounds = Number(rest.find((a) => /^\d+$/.test(a)) ?? 9);
const flavours = rest.filter((a) => !/^\d+$/.test(a));
const server = await startServer(new URL('../dist/', import.meta.url).pathname, 0, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
await page.waitForSelector('body[data-ready="true"]');
const before = os.loadavg();
const r = await page.evaluate(
  ([w, f, n]) => window.segbench.benchWorkload(w, { frameworks: f, rounds: n }),
  [workload, flavours.map((f) => `ours:${f}`), rounds],
);
for (const x of r.results) {
  console.log(x.id, x.msPerStep?.toFixed(1), 'ms', x.gflops?.toFixed(2), 'GFLOP/s', x.lastLoss, x.error ?? '');
  console.log('  steps (ms):', x.samples.map((ms) => ms.toFixed(0)).join(' '));
}
console.log(
  'loadavg',
  before.map((l) => l.toFixed(2)).join(' '),
  '→',
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
);
await browser.close();
server.close();
