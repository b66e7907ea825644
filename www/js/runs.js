// The run pool and the worker protocol: a study's runs (every loss at every seed, and first, when the
// learning rate is tuned, each loss's short tuning runs) spread over a few Web Workers, each with its own
// wasm instance of the module compiled once and hosting several runs; every message to and from a worker
// goes through here (worker.js is the other end). Workers train one run at a time in turns of SLICE_MS,
// at most as many workers at a time as the lane policy allows (lanes.js: every core while the user only
// watches, one fewer while they interact). Turns go to tuning runs first, then to the seed on show, then
// seed by seed; the losses of one seed take turns, so they grow side by side. When a loss's tuning runs
// end, the engine chooses its rate and its runs start at it. Holds each run's latest state and the
// study's evidence; views subscribe through `onChange`. Requests (exports, full-resolution predictions)
// carry an id and get their own reply, so one that fails leaves its run as it was.
import { LanePolicy } from './lanes.js';
import { scored } from './scored.js';

const SLICE_MS = 100;

const ENDED = ['finished', 'diverged', 'error'];

export class RunPool {
  constructor(engine, onChange, policy = new LanePolicy()) {
    this.engine = engine;
    this.onChange = onChange;
    this.policy = policy;
    policy.onRise = () => this.dispatch();
    this.runs = []; // every run of the study: { kind: 'train' | 'tune', lossIndex, seedIndex, rateIndex, … }
    this.plan = null; // the engine's study plan (seeds, tuning sweep)
    this.hosts = []; // { worker, busy }: one per core at most, busy with the run whose turn it is
    this.shownSeed = 0;
    this.generation = 0; // counts starts: run ids restart at 0 with every study
    this.rates = []; // per loss: null (the shared rate) or the engine's choice { learningRate, sweep }
    // Train and Step are intentions: a run whose worker is still starting picks them up when it is ready.
    this.playing = false;
    this.waiting = []; // training runs waiting for a turn
    this.turns = 0; // turns handed out, to rotate among runs of equal priority
    this.requests = new Map(); // request id → { run, resolve, reject }
    this.nextRequest = 0;
  }

  /** Starts the study of the experiment `query`: its runs on up to one worker per core (paired seeds share initial
   *  weights and batches across losses). */
  start({ query, specs, total, evalEvery, view, threshold }) {
    this.stop();
    const plan = this.engine.api.studyPlan(query);
    Object.assign(this, { plan, query, specs, total, evalEvery, shownView: view, threshold, shownSeed: 0 });
    this.generation += 1;
    this.rates = specs.map(() => null);
    const planned = plan.tuningRates.length * specs.length + plan.seeds.length * specs.length;
    this.hosts = Array.from({ length: Math.max(1, Math.min(this.policy.all, planned)) }, () => this.host());
    if (plan.tuningRates.length > 0) {
      for (const [lossIndex, spec] of specs.entries())
        for (const [rateIndex, rate] of plan.tuningRates.entries())
          this.create({ kind: 'tune', lossIndex, rateIndex, seedIndex: 0, learningRate: rate, spec });
    } else {
      for (const lossIndex of specs.keys()) this.createRepeats(lossIndex, null);
    }
    this.onChange(null);
  }

  host() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const host = { worker, busy: false };
    worker.onmessage = ({ data }) => this.receive(host, data);
    worker.onerror = (event) => this.crashed(host, event.message || 'the worker crashed');
    worker.postMessage({ type: 'init', module: this.engine.module, glueUrl: this.engine.glueUrl });
    return host;
  }

  /** Every seed of loss `lossIndex`, at rate `rateIndex` of its sweep (null: the experiment's rate). */
  createRepeats(lossIndex, rateIndex) {
    const learningRate = rateIndex == null ? this.plan.learningRate : this.plan.tuningRates[rateIndex];
    for (const seedIndex of this.plan.seeds.keys())
      this.create({ kind: 'train', lossIndex, seedIndex, rateIndex, learningRate, spec: this.specs[lossIndex] });
  }

  create(plan) {
    const id = this.runs.length;
    const run = {
      id,
      ...plan,
      seed: this.plan.seeds[plan.seedIndex],
      host: this.hosts[id % this.hosts.length],
      status: 'starting',
      step: 0,
      total: plan.kind === 'tune' ? this.plan.tuningSteps : this.total, // the engine's, once ready
      loss: NaN,
      history: { step: [], loss: [], dice: [], iou: [] },
      metrics: null,
      snapshot: null,
      checksum: null,
      evidence: null, // the engine's per-run metrics, when a training run ended
      score: null, // a tuning run's validation score
      message: '',
      computeMs: 0,
      trainedSince: null,
      pendingSteps: 0,
    };
    this.runs.push(run);
    run.host.worker.postMessage({
      type: 'create',
      runId: id,
      query: this.query,
      plan: { kind: plan.kind, lossIndex: plan.lossIndex, seedIndex: plan.seedIndex, rateIndex: plan.rateIndex },
      evalEvery: this.evalEvery,
      shown: this.isShown(run),
      view: this.shownView,
      threshold: this.threshold,
    });
    return run;
  }

  isShown(run) {
    return run.kind === 'train' && run.seedIndex === this.shownSeed;
  }

  /** The runs the grid, the charts and the downloads show: every loss at the seed on show, by loss. */
  get shownRuns() {
    return this.runs.filter((run) => this.isShown(run)).sort((a, b) => a.lossIndex - b.lossIndex);
  }

  receive(host, message) {
    if (message.type === 'reply') {
      this.settle(message.id, message.error, message);
      return;
    }
    const run = this.runs[message.runId];
    if (!run || run.host !== host) return;
    switch (message.type) {
      case 'ready':
        run.status = 'ready';
        run.checksum = message.checksum;
        run.learningRate = message.learningRate;
        run.total = message.total;
        if (this.playing) this.enqueue(run);
        else if (run.pendingSteps > 0) this.post(run, { type: 'step', n: run.pendingSteps });
        run.pendingSteps = 0;
        break;
      case 'progress':
        run.step = message.step;
        run.loss = message.loss;
        run.computeMs += message.ms;
        run.history.step.push(message.step);
        run.history.loss.push(message.loss);
        run.history.dice.push(scored(run.metrics)?.dice ?? null);
        run.history.iou.push(scored(run.metrics)?.iou ?? null);
        break;
      case 'metrics':
        run.metrics = message.metrics;
        if (run.history.step.at(-1) === message.step) {
          run.history.dice[run.history.dice.length - 1] = scored(message.metrics).dice;
          run.history.iou[run.history.iou.length - 1] = scored(message.metrics).iou;
        }
        break;
      case 'snapshot':
        run.snapshot = message;
        break;
      case 'sliceDone':
        this.endTurn(run);
        if (run.status === 'training') this.waiting.push(run);
        this.dispatch();
        break;
      case 'finished':
        run.checksum = message.checksum;
        run.message = message.reason ?? '';
        run.evidence = message.evidence ?? null;
        run.score = message.score ?? null;
        this.stopRun(run, message.reason ? 'diverged' : 'finished');
        if (run.kind === 'tune') this.tuned(run.lossIndex);
        break;
      case 'error':
        if (ENDED.includes(run.status)) break; // a late message to a run that has already ended
        run.message = message.message;
        this.stopRun(run, 'error');
        this.failRequests(run, `the run stopped: ${message.message}`);
        if (run.kind === 'tune') this.tuned(run.lossIndex);
        break;
    }
    this.onChange(run, message.type);
  }

  /** A tuning run of loss `lossIndex` ended: once all of them have, the engine chooses the loss's rate. */
  tuned(lossIndex) {
    const sweep = this.runs.filter((run) => run.kind === 'tune' && run.lossIndex === lossIndex);
    if (!sweep.every((run) => ENDED.includes(run.status))) return;
    const scores = sweep.sort((a, b) => a.rateIndex - b.rateIndex).map((run) => run.score);
    if (scores.some((score) => score == null)) {
      // A sweep run failed (its message says why): the loss trains at the experiment's rate.
      this.rates[lossIndex] = {
        rateIndex: null,
        learningRate: this.plan.learningRate,
        scores,
        problem: sweep.find((run) => run.status === 'error')?.message ?? 'a sweep run failed',
      };
    } else {
      this.rates[lossIndex] = {
        ...this.engine.api.chooseRate(this.query, lossIndex, Float64Array.from(scores)),
        scores,
      };
    }
    this.createRepeats(lossIndex, this.rates[lossIndex].rateIndex);
  }

  crashed(host, message) {
    for (const run of this.runs.filter((r) => r.host === host && !ENDED.includes(r.status)))
      this.receive(host, { type: 'error', runId: run.id, message });
  }

  post(run, message, transfer = []) {
    run.host.worker.postMessage({ ...message, runId: run.id }, transfer);
  }

  stopRun(run, status) {
    run.status = status;
    this.endTurn(run);
    this.dispatch();
  }

  endTurn(run) {
    if (run.host.busy === run) run.host.busy = false;
    this.waiting = this.waiting.filter((r) => r !== run);
  }

  enqueue(run) {
    if (['ready', 'paused'].includes(run.status) && run.step < run.total) {
      run.status = 'training';
      run.trainedSince = { at: performance.now(), step: run.step };
      // A run paused mid-turn is still busy; it rejoins the queue when that turn ends.
      if (run.host.busy !== run) this.waiting.push(run);
      this.dispatch();
    }
  }

  /** The runs training now, one per busy worker. */
  get active() {
    return new Set(this.hosts.filter((host) => host.busy).map((host) => host.busy));
  }

  /** Tuning runs first, then the seed on show, then the other seeds in order. */
  priority(run) {
    if (run.kind === 'tune') return -1;
    return run.seedIndex === this.shownSeed ? 0 : run.seedIndex + 1;
  }

  /** Gives each free worker a turn for its most urgent waiting run (the one that waited longest among
   *  equals). */
  dispatch() {
    for (const host of this.hosts) {
      if (host.busy) continue;
      if (this.active.size >= this.policy.lanes) break;
      let next = null;
      for (const run of this.waiting) {
        if (run.host !== host) continue;
        const better = !next || this.priority(run) < this.priority(next);
        const older = next && this.priority(run) === this.priority(next) && run.lastTurn < next.lastTurn;
        if (better || older) next = run;
      }
      if (!next) continue;
      this.waiting = this.waiting.filter((r) => r !== next);
      host.busy = next;
      next.lastTurn = this.turns++;
      this.post(next, { type: 'slice', ms: SLICE_MS });
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
      if (['ready', 'paused'].includes(run.status) && run.host.busy !== run) this.post(run, { type: 'step', n });
      else if (run.status === 'starting') run.pendingSteps += n;
    }
  }

  /** Shows seed `seedIndex` in the grid: its runs send masks, and train first. */
  showSeed(seedIndex) {
    this.shownSeed = seedIndex;
    this.view(this.shownView, this.threshold);
    this.onChange(null);
  }

  /** Sends a request to a run's worker; resolves to its reply, or rejects with the worker's message. */
  request(run, message, transfer = []) {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { run, resolve, reject });
      this.post(run, { ...message, id }, transfer);
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

  /** The runs on show that have weights to export or predict with. */
  get answering() {
    return this.shownRuns.filter((run) => !['starting', 'error'].includes(run.status));
  }

  /** The image and threshold shown: the runs on show send their masks of it. */
  view(view, threshold) {
    Object.assign(this, { shownView: view, threshold });
    const shown = this.runs.filter((run) => this.isShown(run)).map((run) => run.id);
    for (const host of this.hosts) host.worker.postMessage({ type: 'view', view, threshold, shown });
  }

  /** Steps per second of wall time since the run last started training (what the ETA needs). */
  static wallRate(run) {
    if (!run.trainedSince) return 0;
    const seconds = (performance.now() - run.trainedSince.at) / 1000;
    return seconds > 0.5 ? (run.step - run.trainedSince.step) / seconds : 0;
  }

  /** Runs planned in all (tuning runs, then every loss at every seed) and runs ended. */
  get counts() {
    if (!this.plan) return { planned: 0, ended: 0 };
    const losses = this.specs.length;
    const planned = (this.plan.tuningRates.length + this.plan.seeds.length) * losses;
    return { planned, ended: this.runs.filter((run) => ENDED.includes(run.status)).length };
  }

  get training() {
    const { planned, ended } = this.counts;
    const going = this.runs.some((run) => run.status === 'training' || run.status === 'starting');
    return this.playing && (going || (ended < planned && this.runs.length < planned));
  }

  stop() {
    for (const host of this.hosts) host.worker.terminate();
    for (const run of this.runs) this.failRequests(run, 'the runs restarted');
    this.hosts = [];
    this.runs = [];
    this.playing = false;
    this.waiting = [];
  }
}
