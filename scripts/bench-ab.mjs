// A/B of our builds in one page, interleaved with the peak: node scripts/bench-ab.mjs W1 simd128 simd128-try
// [rounds] [--reps=3] (each name a directory under dist/pkg/). Each repetition measures the simd128 peak
// (bench-peak.js's grid), then trains the builds one step each per round (A B A B …). On this shared
// machine a neighbour only slows things down, so it prints, per build, the median of every repetition
// and the best of them, each as a fraction of the best peak of the same run, with the load average.

import os from 'node:os';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const args = process.argv.slice(2);
const [workload = 'W1', ...rest] = args.filter((a) => !a.startsWith('--'));
const rounds = Number(rest.find((a) => /^\d+$/.test(a)) ?? 9);
const reps = Number(args.find((a) => a.startsWith('--reps='))?.slice(7) ?? 3);
const flavours = rest.filter((a) => !/^\d+$/.test(a));
const server = await startServer(new URL('../dist/', import.meta.url).pathname, 0, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
await page.waitForSelector('body[data-ready="true"]');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const before = load();
const peaks = [];
const medians = Object.fromEntries(flavours.map((f) => [f, []]));
for (let rep = 0; rep < reps; rep++) {
  const peak = await page.evaluate(() => window.segbench.measurePeak(true));
  peaks.push(peak);
  console.log(
    `rep ${rep + 1}: peak ${peak.gflops.toFixed(2)} GFLOP/s (${peak.chains} chains × ${peak.unroll} unroll), loadavg ${load()}`,
  );
  const r = await page.evaluate(
    ([w, f, n]) => window.segbench.benchWorkload(w, { frameworks: f, rounds: n }),
    [workload, flavours.map((f) => `ours:${f}`), rounds],
  );
  for (const [i, x] of r.results.entries()) {
    medians[flavours[i]].push({ ms: x.msPerStep, gflops: x.gflops });
    console.log(
      `  ${x.id} ${x.msPerStep?.toFixed(1)} ms ${x.gflops?.toFixed(2)} GFLOP/s loss ${x.lastLoss} ${x.error ?? ''}`,
    );
    console.log('    steps (ms):', x.samples.map((ms) => ms.toFixed(0)).join(' '));
  }
}
const peak = peaks.reduce((a, b) => (b.gflops > a.gflops ? b : a));
console.log(
  `peak (best of ${reps}): ${peak.gflops.toFixed(2)} GFLOP/s at ${peak.chains} chains × ${peak.unroll} unroll`,
);
for (const [flavour, ms] of Object.entries(medians)) {
  const best = ms.reduce((a, b) => (b.gflops > a.gflops ? b : a));
  const list = ms.map((m) => `${m.ms.toFixed(1)} ms (${((100 * m.gflops) / peak.gflops).toFixed(1)} %)`).join(', ');
  console.log(
    `${workload} ${flavour}: medians ${list}; best ${best.ms.toFixed(1)} ms = ${best.gflops.toFixed(2)} GFLOP/s = ${((100 * best.gflops) / peak.gflops).toFixed(1)} % of peak`,
  );
}
console.log('loadavg', before, '→', load());
await browser.close();
server.close();
