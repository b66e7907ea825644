// The run pool: one Web Worker per loss, each with its own wasm instance of the module compiled once.
// Holds each run's latest state; views subscribe through `onChange`.

export class RunPool {
  constructor(engine, onChange) {
    this.engine = engine;
    this.onChange = onChange;
    this.runs = [];
  }

  /** Starts one worker per loss spec of the experiment `query` (all share its initial weights and batches). */
  start({ query, specs, total, evalEvery, view, threshold }) {
    this.stop();
    this.runs = specs.map((spec, lossIndex) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      const run = {
        spec, lossIndex, worker, status: 'starting', step: 0, total, loss: NaN, stepsPerSecond: 0,
        history: { step: [], loss: [], dice: [], iou: [] }, metrics: null, snapshot: null,
        checksum: null, message: '', startedAt: 0, trainingMs: 0,
      };
      worker.onmessage = ({ data }) => this.receive(run, data);
      worker.onerror = (event) => this.receive(run, { type: 'error', message: event.message || 'the worker crashed' });
      worker.postMessage({ type: 'init', module: this.engine.module, glueUrl: this.engine.glueUrl,
        query, lossIndex, total, evalEvery, view, threshold });
      return run;
    });
    this.onChange(null);
  }

  receive(run, message) {
    switch (message.type) {
      case 'ready':
        run.status = 'ready';
        run.checksum = message.checksum;
        break;
      case 'progress':
        run.step = message.step;
        run.loss = message.loss;
        run.stepsPerSecond = message.stepsPerSecond;
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
      case 'finished':
        this.markStopped(run, 'finished');
        run.checksum = message.checksum;
        break;
      case 'diverged':
        this.markStopped(run, 'diverged');
        run.message = message.reason;
        break;
      case 'error':
        this.markStopped(run, 'error');
        run.message = message.message;
        break;
    }
    this.onChange(run, message.type);
  }

  markStopped(run, status) {
    if (run.status === 'training') run.trainingMs += performance.now() - run.startedAt;
    run.status = status;
  }

  train() {
    for (const run of this.runs) {
      if (['ready', 'paused'].includes(run.status) && run.step < run.total) {
        run.status = 'training';
        run.startedAt = performance.now();
        run.worker.postMessage({ type: 'train' });
      }
    }
    this.onChange(null);
  }

  pause() {
    for (const run of this.runs) {
      if (run.status === 'training') {
        this.markStopped(run, 'paused');
        run.worker.postMessage({ type: 'pause' });
      }
    }
    this.onChange(null);
  }

  step(n = 1) {
    for (const run of this.runs) {
      if (['ready', 'paused'].includes(run.status)) run.worker.postMessage({ type: 'step', n });
    }
  }

  view(view, threshold) {
    for (const run of this.runs) {
      if (run.status !== 'error') run.worker.postMessage({ type: 'view', view, threshold });
    }
  }

  get training() {
    return this.runs.some((run) => run.status === 'training');
  }

  stop() {
    for (const run of this.runs) run.worker.terminate();
    this.runs = [];
  }
}
