// The run pool and the worker protocol: one Web Worker per loss, each with its own wasm instance of the
// module compiled once; every message to and from a run's worker goes through here (worker.js is the
// other end). Workers train in turns of SLICE_MS, at most as many at a time as the lane policy allows
// (lanes.js: every core while the user only watches, one fewer while they interact). Holds each run's
// latest state; views subscribe through `onChange`. Requests (exports, full-resolution predictions)
// carry an id and get their own reply, so one that fails leaves its run as it was.

import { LanePolicy } from './lanes.js';

const SLICE_MS = 100;

export class RunPool {
  constructor(engine, onChange, policy = new LanePolicy()) {
    this.engine = engine;
    this.onChange = onChange;
    this.policy = policy;
    policy.onRise = () => this.dispatch();
    this.runs = [];
    // Train and Step are intentions: a run whose worker is still starting picks them up when it is ready.
    this.playing = false;
    this.waiting = []; // training runs waiting for a turn, in order
    this.active = new Set();
    this.requests = new Map(); // request id → { run, resolve, reject }
    this.nextRequest = 0;
  }

  /** Starts one worker per loss spec of the experiment `query` (all share its initial weights and batches). */
  start({ query, specs, total, evalEvery, view, threshold }) {
    this.stop();
    this.runs = specs.map((spec, lossIndex) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      const run = {
        spec,
        lossIndex,
        worker,
        status: 'starting',
        step: 0,
        total,
        loss: NaN,
        history: { step: [], loss: [], dice: [], iou: [] },
        metrics: null,
        snapshot: null,
        checksum: null,
        message: '',
        computeMs: 0,
        trainedSince: null,
        pendingSteps: 0,
      };
      worker.onmessage = ({ data }) => this.receive(run, data);
      worker.onerror = (event) => this.receive(run, { type: 'error', message: event.message || 'the worker crashed' });
      worker.postMessage({
        type: 'init',
        module: this.engine.module,
        glueUrl: this.engine.glueUrl,
        query,
        lossIndex,
        total,
        evalEvery,
        view,
        threshold,
      });
      return run;
    });
    this.onChange(null);
  }

  receive(run, message) {
    switch (message.type) {
      case 'ready':
        run.status = 'ready';
        run.checksum = message.checksum;
        if (this.playing) this.enqueue(run);
        else if (run.pendingSteps > 0) run.worker.postMessage({ type: 'step', n: run.pendingSteps });
        run.pendingSteps = 0;
        break;
      case 'progress':
        run.step = message.step;
        run.loss = message.loss;
        run.computeMs += message.ms;
        run.history.step.push(message.step);
        run.history.loss.push(message.loss);
        run.history.dice.push(run.metrics?.heldout.dice ?? null);
        run.history.iou.push(run.metrics?.heldout.iou ?? null);
        break;
      case 'metrics':
        run.metrics = message.metrics;
        if (run.history.step.at(-1) === message.step) {
          run.history.dice[run.history.dice.length - 1] = message.metrics.heldout.dice;
          run.history.iou[run.history.iou.length - 1] = message.metrics.heldout.iou;
        }
        break;
      case 'snapshot':
        run.snapshot = message;
        break;
      case 'reply':
        this.settle(message.id, message.error, message);
        return;
      case 'sliceDone':
        this.endTurn(run);
        if (run.status === 'training') this.waiting.push(run);
        this.dispatch();
        break;
      case 'finished':
        run.checksum = message.checksum;
        this.stopRun(run, 'finished');
        break;
      case 'diverged':
        run.message = message.reason;
        this.stopRun(run, 'diverged');
        break;
      case 'error':
        run.message = message.message;
        this.stopRun(run, 'error');
        this.failRequests(run, `the run stopped: ${message.message}`);
        break;
    }
    this.onChange(run, message.type);
  }

  stopRun(run, status) {
    run.status = status;
    this.endTurn(run);
    this.dispatch();
  }

  endTurn(run) {
    this.active.delete(run);
    this.waiting = this.waiting.filter((r) => r !== run);
  }

  enqueue(run) {
    if (['ready', 'paused'].includes(run.status) && run.step < run.total) {
      run.status = 'training';
      run.trainedSince = { at: performance.now(), step: run.step };
      // A run paused mid-turn is still active; it rejoins the queue when that turn ends.
      if (!this.active.has(run)) this.waiting.push(run);
      this.dispatch();
    }
  }

  /** Gives free lanes to the runs that have waited longest. */
  dispatch() {
    while (this.active.size < this.policy.lanes && this.waiting.length > 0) {
      const run = this.waiting.shift();
      this.active.add(run);
      run.worker.postMessage({ type: 'slice', ms: SLICE_MS });
    }
  }

  train() {
    this.playing = true;
    for (const run of this.runs) this.enqueue(run);
    this.onChange(null);
  }

  pause() {
    this.playing = false;
    this.waiting = [];
    for (const run of this.runs) {
      if (run.status === 'training') run.status = 'paused';
    }
    this.onChange(null);
  }

  step(n = 1) {
    for (const run of this.runs) {
      if (['ready', 'paused'].includes(run.status) && !this.active.has(run))
        run.worker.postMessage({ type: 'step', n });
      else if (run.status === 'starting') run.pendingSteps += n;
    }
  }

  /** Sends a request to a run's worker; resolves to its reply, or rejects with the worker's message. */
  request(run, message, transfer = []) {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { run, resolve, reject });
      run.worker.postMessage({ ...message, id }, transfer);
    });
  }

  settle(id, error, reply) {
    const request = this.requests.get(id);
    if (!request) return;
    this.requests.delete(id);
    if (error) request.reject(new Error(error));
    else request.resolve(reply);
  }

  failRequests(run, why) {
    for (const [id, request] of this.requests) if (request.run === run) this.settle(id, why);
  }

  /** The run's weights as .npz bytes: resolves to { npz, step }. */
  exportWeights(run) {
    return this.request(run, { type: 'export', what: 'weights' });
  }

  /** The run's predicted mask of every image (`counts`: images per split): resolves to { masks, step }. */
  exportMasks(run, counts, threshold) {
    return this.request(run, { type: 'export', what: 'masks', counts, threshold });
  }

  /** The run's prediction on `image` ({ rgba, width, height }) at its own size: resolves to
   *  { probability, mask, width, height }. */
  predictFull(run, image, threshold) {
    const { rgba, width, height } = image;
    return this.request(run, { type: 'predictFull', rgba, width, height, threshold });
  }

  /** The runs that have weights to export or predict with. */
  get answering() {
    return this.runs.filter((run) => !['starting', 'error'].includes(run.status));
  }

  view(view, threshold) {
    for (const run of this.runs) {
      if (run.status !== 'error') run.worker.postMessage({ type: 'view', view, threshold });
    }
  }

  /** Steps per second of wall time since the run last started training (what the ETA needs). */
  static wallRate(run) {
    if (!run.trainedSince) return 0;
    const seconds = (performance.now() - run.trainedSince.at) / 1000;
    return seconds > 0.5 ? (run.step - run.trainedSince.step) / seconds : 0;
  }

  get training() {
    return this.runs.some((run) => run.status === 'training' || (this.playing && run.status === 'starting'));
  }

  stop() {
    for (const run of this.runs) {
      run.worker.terminate();
      this.failRequests(run, 'the runs restarted');
    }
    this.runs = [];
    this.playing = false;
    this.waiting = [];
    this.active.clear();
  }
}
