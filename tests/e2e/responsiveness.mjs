// Measures how the page responds while it trains, from `startRecording` to `stopRecording`:
// - every main-thread long task (the Long Tasks API: each task of 50 ms or more, its wall time) and
//   every frame (requestAnimationFrame deltas), as a user would feel them on this machine;
// - every task of the page's main thread with its wall and its CPU time, from a Chromium trace
//   (the thread clock advances only while the thread runs, so it is the page's own work, whatever
//   else the machine runs).

/** Installs the in-page recorder in every page of `context` (before the page's own scripts run). */
export function recordResponsiveness(context) {
  return context.addInitScript(() => {
    const record = { tasks: [], frames: [], from: 0, to: Number.POSITIVE_INFINITY, recording: false };
    window.responsiveness = record;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    record.start = () => {
      Object.assign(record, { from: performance.now(), to: Number.POSITIVE_INFINITY, frames: [], recording: true });
      let last = 0;
      const frame = (now) => {
        if (!record.recording) return;
        if (last) record.frames.push(now - last);
        last = now;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    };
    record.stop = () => {
      record.recording = false;
      record.to = performance.now();
    };
  });
}

/** Starts the in-page recorder and a trace of every task's wall and CPU time; returns the recording. */
export async function startRecording(context, page) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  // 'toplevel' holds one event per task the thread runs, with its wall (dur) and thread (tdur) time.
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', '__metadata'] },
    transferMode: 'ReportEvents',
  });
  await page.evaluate(() => window.responsiveness.start());
  return { cdp, events, page };
}

const quantile = (sorted, q) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const distribution = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) ?? 0 };
};

/** Stops recording; returns the distributions (in ms) of long tasks, frames, and every task's wall and
 *  CPU time, and `cpuOver(ms)`: how many tasks used more CPU than that. */
export async function stopRecording({ cdp, events, page }) {
  const { tasks, frames, seconds } = await page.evaluate(() => {
    const r = window.responsiveness;
    r.stop();
    const tasks = r.tasks.filter((t) => t.start >= r.from && t.start < r.to).map((t) => t.duration);
    return { tasks, frames: r.frames, seconds: (r.to - r.from) / 1000 };
  });
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const traced = events.filter(
    (e) => e.ph === 'X' && e.name.endsWith('RunTask') && mainThreads.has(`${e.pid}:${e.tid}`),
  );
  return {
    seconds,
    longTasks: distribution(tasks),
    over50: tasks.filter((d) => d > 50).length,
    over100: tasks.filter((d) => d > 100).length,
    frames: distribution(frames),
    cpu: distribution(traced.filter((e) => e.tdur !== undefined).map((e) => e.tdur / 1000)),
    wall: distribution(traced.map((e) => e.dur / 1000)),
    tasksTraced: traced.length,
    tasksWithCpu: traced.filter((e) => e.tdur !== undefined).length,
    // Tasks the trace gave no CPU time: their wall time bounds it.
    wallWithoutCpu: distribution(traced.filter((e) => e.tdur === undefined).map((e) => e.dur / 1000)),
    cpuOver: (ms) => traced.filter((e) => e.tdur / 1000 > ms).length,
  };
}

/** The recording in a few lines, for the test's log. */
export function describe(m) {
  const d = ({ count, p50, p95, max }) =>
    `${count} (p50 ${Math.round(p50)}, p95 ${Math.round(p95)}, max ${Math.round(max)} ms)`;
  return [
    `${m.seconds.toFixed(1)} s of training`,
    `long tasks (wall): ${d(m.longTasks)}, over 50 ms: ${m.over50}, over 100 ms: ${m.over100}`,
    `frames: ${d(m.frames)}`,
    `every main-thread task, wall: ${d(m.wall)}; CPU: ${d(m.cpu)}, over 16 ms of CPU: ${m.cpuOver(16)}, over 33 ms: ${m.cpuOver(33)}`,
  ].join('\n  ');
}
