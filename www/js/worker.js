// One training run in its own wasm instance: the worker end of the protocol in runs.js. The main thread
// posts the compiled module once, then hands this worker slices of training time (runs.js decides who
// trains when); between slices it answers view and step messages. It posts progress, metrics and masks.
// Messages are handled one at a time in arrival order, so nothing overtakes `init`. A request (a
// message with an `id`) gets one reply with that id, its error included: a failed export is not a
// failed run.

let api = null;
let run = null;
let settings = null; // { total, evalEvery, view: { split, index }, threshold }
let stepsPerSlice = 1; // adapted so one slice takes about the time asked for
let lastEval = 0;

const post = (message, transfer = []) => self.postMessage(message, transfer);

// While training only the held-out images are scored: a third of the cost of scoring all of them.
function sendMetrics(all = true) {
  lastEval = run.stepCount();
  post({ type: 'metrics', step: run.stepCount(), metrics: all ? run.evaluate() : run.evaluateHeldout() });
}

function sendSnapshot() {
  const { split, index } = settings.view;
  const s = run.snapshot(split, index, settings.threshold);
  const buffers = [s.probability, s.mask, s.overlay, s.gradient];
  post(
    { type: 'snapshot', step: run.stepCount(), split, index, ...s },
    buffers.map((b) => b.buffer),
  );
}

/** Takes up to `n` steps; posts progress, and metrics and masks when due. False when the run stopped. */
function train(n, computeMs) {
  const started = performance.now();
  const result = run.step(Math.min(n, settings.total - run.stepCount()));
  const ms = performance.now() - started;
  computeMs.value += ms;
  post({ type: 'progress', step: run.stepCount(), loss: result.loss, ms });
  if (result.diverged) {
    post({ type: 'diverged', step: run.stepCount(), reason: result.diverged });
    return false;
  }
  const done = run.stepCount() >= settings.total;
  if (done || run.stepCount() - lastEval >= settings.evalEvery) {
    sendMetrics(done);
    sendSnapshot();
  }
  if (done) {
    post({ type: 'finished', step: run.stepCount(), checksum: run.checksum() });
    return false;
  }
  return true;
}

const handlers = {
  async init({ module, glueUrl, query, lossIndex, total, evalEvery, view, threshold }) {
    api = await import(glueUrl);
    await api.default({ module_or_path: module });
    run = new api.Run(query, lossIndex);
    settings = { total, evalEvery, view, threshold };
    post({ type: 'ready', checksum: run.checksum(), spec: run.lossSpec() });
    // The untrained weights are drawn but not scored: a score before any step would rank noise.
    sendSnapshot();
  },
  // Trains for about `ms` milliseconds, then gives the turn back.
  slice({ ms }) {
    const computeMs = { value: 0 };
    let going = true;
    while (going && computeMs.value < ms) {
      const before = computeMs.value;
      going = train(stepsPerSlice, computeMs);
      const took = computeMs.value - before;
      stepsPerSlice = Math.max(1, Math.min(64, Math.round((stepsPerSlice * (ms / 4)) / Math.max(took, 1))));
    }
    if (going) post({ type: 'sliceDone' });
  },
  step({ n }) {
    if (run.stepCount() < settings.total && train(n, { value: 0 })) {
      sendMetrics(true);
      sendSnapshot();
    }
  },
  // The Keras panel's downloads: weights as .npz, or every image's predicted mask as RGBA.
  export({ id, what, counts, threshold }) {
    if (what === 'weights') {
      const npz = run.weightsNpz();
      post({ type: 'reply', id, step: run.stepCount(), npz }, [npz.buffer]);
      return;
    }
    const masks = Object.entries(counts).flatMap(([split, count]) =>
      Array.from({ length: count }, (_, index) => {
        const s = run.snapshot(split, index, threshold);
        return { split, index, width: s.width, height: s.height, rgba: s.mask };
      }),
    );
    post(
      { type: 'reply', id, step: run.stepCount(), masks },
      masks.map((m) => m.rgba.buffer),
    );
  },
  // The run's prediction on an image of any size (a photograph at full resolution).
  predictFull({ id, rgba, width, height, threshold }) {
    const { probability, mask } = run.predictRgba(rgba, width, height, threshold);
    post({ type: 'reply', id, probability, mask, width, height }, [probability.buffer, mask.buffer]);
  },
  view({ view, threshold }) {
    settings.view = view;
    settings.threshold = threshold;
    sendSnapshot();
  },
};

async function handle(data) {
  try {
    if (!run && data.type !== 'init') throw new Error('the run has not started');
    await handlers[data.type](data);
  } catch (error) {
    const message = error?.message ?? String(error);
    post(data.id === undefined ? { type: 'error', message } : { type: 'reply', id: data.id, error: message });
  }
}

let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};
