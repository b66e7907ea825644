// One training run in its own wasm instance. The main thread posts the compiled module once; this worker
// trains in short slices (so pause/step/view messages get through) and posts progress, metrics and masks.

let api = null;
let run = null;
let settings = null;       // { total, evalEvery, view: { split, index }, threshold }
let running = false;
let loopActive = false;

const post = (message, transfer = []) => self.postMessage(message, transfer);

function fail(error) {
  running = false;
  post({ type: 'error', message: error?.message ?? String(error) });
}

function sendMetrics() {
  post({ type: 'metrics', step: run.stepCount(), metrics: run.evaluate() });
}

function sendSnapshot() {
  const { split, index } = settings.view;
  const s = run.snapshot(split, index, settings.threshold);
  const buffers = [s.probability, s.mask, s.overlay, s.gradient];
  post({ type: 'snapshot', step: run.stepCount(), split, index, ...s }, buffers.map((b) => b.buffer));
}

function report(result) {
  post({ type: 'progress', step: run.stepCount(), total: settings.total, loss: result.loss,
    stepsPerSecond: result.stepsPerSecond });
  if (result.diverged) {
    running = false;
    post({ type: 'diverged', step: run.stepCount(), reason: result.diverged });
    return false;
  }
  return true;
}

// Trains slices of steps until paused or done; each slice aims at ~40 ms so messages are handled promptly.
async function loop() {
  if (loopActive) return;
  loopActive = true;
  let slice = 1;
  let lastEval = run.stepCount();
  try {
    while (running && run.stepCount() < settings.total) {
      const n = Math.min(slice, settings.total - run.stepCount());
      const started = performance.now();
      const result = run.step(n);
      const ms = performance.now() - started;
      slice = Math.max(1, Math.min(64, Math.round(n * 40 / Math.max(ms, 1))));
      if (!report({ ...result, stepsPerSecond: (1000 * n) / Math.max(ms, 1e-3) })) break;
      if (run.stepCount() - lastEval >= settings.evalEvery || run.stepCount() >= settings.total) {
        lastEval = run.stepCount();
        sendMetrics();
        sendSnapshot();
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (run.stepCount() >= settings.total) {
      running = false;
      post({ type: 'finished', step: run.stepCount(), checksum: run.checksum() });
    }
  } catch (error) {
    fail(error);
  } finally {
    loopActive = false;
  }
}

const handlers = {
  async init({ module, glueUrl, query, lossIndex, total, evalEvery, view, threshold }) {
    api = await import(glueUrl);
    await api.default({ module_or_path: module });
    run = new api.Run(query, lossIndex);
    settings = { total, evalEvery, view, threshold };
    post({ type: 'ready', checksum: run.checksum(), spec: run.lossSpec() });
    sendMetrics();
    sendSnapshot();
  },
  train() {
    running = true;
    loop();
  },
  pause() {
    running = false;
  },
  step({ n }) {
    if (running || run.stepCount() >= settings.total) return;
    const started = performance.now();
    const result = run.step(Math.min(n, settings.total - run.stepCount()));
    const ms = performance.now() - started;
    if (report({ ...result, stepsPerSecond: (1000 * result.steps) / Math.max(ms, 1e-3) })) {
      sendMetrics();
      sendSnapshot();
    }
  },
  view({ view, threshold }) {
    settings.view = view;
    settings.threshold = threshold;
    sendSnapshot();
  },
};

self.onmessage = async ({ data }) => {
  try {
    await handlers[data.type](data);
  } catch (error) {
    fail(error);
  }
};
