// A host of training runs, each its own engine Run in this worker's wasm instance: the worker end of the
// protocol in runs.js. The main thread posts the compiled module once, then creates runs here (a loss at
// one seed, or a short learning-rate tuning run) and hands out slices of training time to one run at a
// time (runs.js decides who trains when); between slices the worker answers view and step messages.
// Every message names its run (`runId`). It posts progress and metrics, masks of the runs on show, and,
// when a run ends, its evidence (the engine's per-run metrics) or its tuning score. Messages are handled
// one at a time in arrival order, so nothing overtakes `init` or `create`. A request (a message with an
// `id`) gets one reply with that id, its error included: a failed export is not a failed run.

let api = null;
const runs = new Map(); // runId → { run (an engine Trial), kind, total, evalEvery, shown, lastEval, stepsPerSlice }
let view = null; // { split, index }
let threshold = 0.5;

const post = (message, transfer = []) => self.postMessage(message, transfer);

function entry(runId) {
  const hosted = runs.get(runId);
  if (!hosted) throw new Error('the run has not started');
  return hosted;
}

// While training only the held-out images are scored: a third of the cost of scoring all of them.
function sendMetrics(runId, hosted, all = true) {
  const { run } = hosted;
  hosted.lastEval = run.stepCount();
  post({ type: 'metrics', runId, step: run.stepCount(), metrics: all ? run.evaluate() : run.evaluateHeldout() });
}

function sendSnapshot(runId, hosted) {
  if (!hosted.shown) return;
  const { split, index } = view;
  const s = hosted.run.snapshot(split, index, threshold);
  const buffers = [s.probability, s.mask, s.overlay, s.gradient];
  post(
    { type: 'snapshot', runId, step: hosted.run.stepCount(), split, index, ...s },
    buffers.map((b) => b.buffer),
  );
}

/** The end of a run: its evidence (a training run) or its score (a tuning run), and why it ended. */
function finish(runId, hosted, reason) {
  const { run } = hosted;
  const checksum = run.checksum();
  if (hosted.kind === 'tune') {
    const [score, step] = [run.tuningScore(), run.stepCount()];
    // A sweep run is never shown or exported: its memory goes back as soon as it is scored.
    runs.delete(runId);
    run.free();
    post({ type: 'finished', runId, step, checksum, reason, score });
  } else {
    post({ type: 'finished', runId, step: run.stepCount(), checksum, reason, evidence: run.evidence() });
  }
}

/** Takes up to `n` steps of one run; posts progress, and metrics and masks when due. False when it ended. */
function train(runId, hosted, n, computeMs) {
  const { run } = hosted;
  const started = performance.now();
  const result = run.step(Math.min(n, hosted.total - run.stepCount()));
  const ms = performance.now() - started;
  computeMs.value += ms;
  post({ type: 'progress', runId, step: run.stepCount(), loss: result.loss, ms });
  if (result.diverged) {
    finish(runId, hosted, result.diverged);
    return false;
  }
  const done = run.stepCount() >= hosted.total;
  // The runs on show are scored for the live curve and table; every run keeps its own curve for the
  // evidence (study::Trial).
  if (hosted.shown && (done || run.stepCount() - hosted.lastEval >= hosted.evalEvery)) {
    sendMetrics(runId, hosted, done);
    sendSnapshot(runId, hosted);
  }
  if (done) {
    finish(runId, hosted, null);
    return false;
  }
  return true;
}

const handlers = {
  async init({ module, glueUrl }) {
    api = await import(glueUrl);
    await api.default({ module_or_path: module });
  },
  // A run of the study: a loss at seed `seedIndex` (at `learningRate` when tuned) or a tuning run.
  create({ runId, query, plan, evalEvery, shown, view: shownView, threshold: t }) {
    const run =
      plan.kind === 'tune'
        ? api.Trial.tuning(query, plan.lossIndex, plan.rateIndex)
        : api.Trial.repeat(query, plan.lossIndex, plan.seedIndex, plan.rateIndex ?? undefined);
    const total = run.totalSteps();
    const hosted = { run, kind: plan.kind, total, evalEvery, shown, lastEval: 0, stepsPerSlice: 1 };
    runs.set(runId, hosted);
    view = shownView;
    threshold = t;
    post({
      type: 'ready',
      runId,
      checksum: run.checksum(),
      spec: run.lossSpec(),
      learningRate: run.learningRate(),
      seed: run.seed(),
      total,
    });
    // The untrained weights are drawn but not scored: a score before any step would rank noise.
    if (plan.kind === 'train' && shown) sendSnapshot(runId, hosted);
  },
  // Trains one run for about `ms` milliseconds, then gives the turn back.
  slice({ runId, ms }) {
    const hosted = entry(runId);
    const computeMs = { value: 0 };
    let going = true;
    while (going && computeMs.value < ms) {
      const before = computeMs.value;
      going = train(runId, hosted, hosted.stepsPerSlice, computeMs);
      const took = computeMs.value - before;
      hosted.stepsPerSlice = Math.max(
        1,
        Math.min(64, Math.round((hosted.stepsPerSlice * (ms / 4)) / Math.max(took, 1))),
      );
    }
    if (going) post({ type: 'sliceDone', runId });
  },
  step({ runId, n }) {
    const hosted = entry(runId);
    if (hosted.run.stepCount() < hosted.total && train(runId, hosted, n, { value: 0 }) && hosted.shown) {
      sendMetrics(runId, hosted, true);
      sendSnapshot(runId, hosted);
    }
  },
  // The Keras panel's downloads: weights as .npz, or every image's predicted mask as RGBA.
  export({ id, runId, what, counts, threshold: t }) {
    const { run } = entry(runId);
    if (what === 'weights') {
      const npz = run.weightsNpz();
      post({ type: 'reply', id, step: run.stepCount(), npz }, [npz.buffer]);
      return;
    }
    const masks = Object.entries(counts).flatMap(([split, count]) =>
      Array.from({ length: count }, (_, index) => {
        const s = run.snapshot(split, index, t);
        return { split, index, width: s.width, height: s.height, rgba: s.mask };
      }),
    );
    post(
      { type: 'reply', id, step: run.stepCount(), masks },
      masks.map((m) => m.rgba.buffer),
    );
  },
  // The run's prediction on an image of any size (a photograph at full resolution).
  predictFull({ id, runId, rgba, width, height, threshold: t }) {
    const { probability, mask } = entry(runId).run.predictRgba(rgba, width, height, t);
    post({ type: 'reply', id, probability, mask, width, height }, [probability.buffer, mask.buffer]);
  },
  // The image and threshold shown, and which runs are on show (the grid's seed): they send masks.
  view({ view: shownView, threshold: t, shown }) {
    view = shownView;
    threshold = t;
    const on = new Set(shown);
    for (const [runId, hosted] of runs) {
      const was = hosted.shown;
      hosted.shown = on.has(runId);
      if (hosted.shown && hosted.kind === 'train') {
        if (!was) sendMetrics(runId, hosted);
        sendSnapshot(runId, hosted);
      }
    }
  },
};

async function handle(data) {
  try {
    if (!api && data.type !== 'init') throw new Error('the engine has not started');
    await handlers[data.type](data);
  } catch (error) {
    const message = error?.message ?? String(error);
    if (data.id !== undefined) post({ type: 'reply', id: data.id, error: message });
    else post({ type: 'error', runId: data.runId, message });
  }
}

let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};
