// The lane policy's measurement and the time to an answer (issue 17): the page's default experiment
// (default losses × default seeds, 600 steps each) trained to the end in headless Chromium, under three
// conditions, alternated: 1 lane (what the page did before on a 2-core machine: every core but one), all
// lanes with the user away (the policy's default), all lanes with the user moving the mouse over the
// charts throughout (the policy then gives up one). The lane count comes from navigator.hardwareConcurrency,
// overridden per browser context. Per condition: wall time from the click on Train to the finished page,
// steps per second, and the main thread's long tasks, frames and per-task CPU time
// (tests/e2e/responsiveness.mjs). Then a projection for 4- and 8-core machines from the measured per-lane
// time per step. Usage: node scripts/bench-lanes.mjs [--reps=1]   (prints JSON last)

import os from 'node:os';
import { openBrowser } from '../tests/e2e/browser.mjs';
import { recordResponsiveness, startRecording, stopRecording } from '../tests/e2e/responsiveness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const reps = option('reps', 1);
const cores = os.cpus().length;
const load = () => os.loadavg().map((l) => +l.toFixed(2));
const log = (...a) => console.error('[lanes]', ...a);

const CONDITIONS = [
  { name: '1 lane (before: every core but one)', lanes: 1, interact: false },
  { name: `${cores} lanes, user away (the policy)`, lanes: cores, interact: false },
  { name: `${cores} lanes offered, user moving the mouse (the policy gives one up)`, lanes: cores, interact: true },
];

async function measure(condition) {
  const browser = await openBrowser();
  try {
    await browser.context.addInitScript((lanes) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => lanes });
    }, condition.lanes);
    await recordResponsiveness(browser.context);
    const page = await browser.context.newPage();
    await page.goto(browser.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await page.waitForFunction(() => {
      const statuses = [...document.querySelectorAll('.run-status')];
      return statuses.length > 0 && statuses.every((s) => s.textContent.endsWith('· ready'));
    });
    // One column per loss; every loss trains once per seed.
    const losses = await page.$$eval('.run-status', (s) => s.length);
    const seeds = Number(await page.inputValue('#setting-seeds'));
    const runs = losses * seeds;
    const steps = await page.$eval('#setting-steps', (input) => Number(input.value));
    const loadBefore = load();
    const recording = await startRecording(browser.context, page);
    const started = performance.now();
    await page.click('#train');
    let moving = condition.interact;
    const mover = (async () => {
      // Over the chart, in view: a pointer outside the viewport sends the page no events.
      await page.$eval('#loss-chart', (e) => e.scrollIntoView({ block: 'center' }));
      const box = await page.$eval('#loss-chart', (e) => e.getBoundingClientRect().toJSON());
      for (let i = 0; moving; i++) {
        await page.mouse.move(box.x + 10 + ((i * 37) % Math.max(1, box.width - 20)), box.y + box.height / 2);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    await page.waitForSelector('body[data-finished="true"]', { timeout: 900_000 });
    const wallS = (performance.now() - started) / 1000;
    moving = false;
    await mover;
    const m = await stopRecording(recording);
    const totalSteps = runs * steps;
    return {
      ...condition,
      losses,
      seeds,
      runs,
      steps,
      wallS: +wallS.toFixed(2),
      stepsPerS: +(totalSteps / wallS).toFixed(2),
      msPerStepPerLane: +(
        ((wallS * 1000) / totalSteps) *
        Math.min(condition.interact ? 1 : condition.lanes, runs)
      ).toFixed(2),
      longTasks: m.longTasks,
      over50: m.over50,
      over100: m.over100,
      frames: m.frames,
      cpu: m.cpu,
      cpuOver33: m.cpuOver(33),
      loadavg: [loadBefore, load()],
    };
  } finally {
    await browser.close();
  }
}

const results = [];
for (let rep = 0; rep < reps; rep++) {
  for (const condition of CONDITIONS) {
    const r = await measure(condition);
    log(JSON.stringify(r));
    results.push(r);
  }
}
// Per-lane time per step: the fastest 1-lane run (a neighbour only slows it). A laptop that trains on
// all its lanes while the user watches takes about runs × steps × that / lanes, if its cores are as fast
// as this VM's and not hyper-threads (hardwareConcurrency counts logical cores).
const oneLane = results.filter((r) => r.lanes === 1).reduce((a, b) => (b.wallS < a.wallS ? b : a));
const perStep = oneLane.msPerStepPerLane / 1000;
const projection = [cores, 4, 8].map((lanes) => ({
  lanes,
  oneSeedS: +((oneLane.losses * oneLane.steps * perStep) / Math.min(lanes, oneLane.losses)).toFixed(1),
  seeds: oneLane.seeds,
  withSeedsS: +((oneLane.runs * oneLane.steps * perStep) / Math.min(lanes, oneLane.runs)).toFixed(1),
}));
console.log(
  JSON.stringify(
    { date: new Date().toISOString(), cores, results, perLaneMsPerStep: oneLane.msPerStepPerLane, projection },
    null,
    2,
  ),
);
