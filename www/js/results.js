// The Predictions panel: the image picker and threshold, the seed shown, the chosen image with its ground
// truth, and one column per loss at that seed (probability, mask, overlay, gradient), all on the same
// image and threshold.
import { drawRgba } from './canvas.js';
import { percent } from './format.js';
import { RunPool } from './runs.js';
import { applyRange } from './schema.js';

const $ = (id) => document.getElementById(id);

const ROWS = [
  ['probability', 'Probability of object'],
  ['mask', 'Mask at threshold'],
  ['overlay', 'TP / FP / FN on the image'],
  ['gradient', 'Gradient of the loss (where it pushes)'],
];

const formatEta = (seconds) =>
  seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;

export class ResultsGrid {
  /** `openFullView()` shows the current image at full resolution. */
  constructor(state, openFullView, showSeed) {
    this.state = state;
    $('seed-shown').addEventListener('change', () => showSeed(Number($('seed-shown').value)));
    this.columns = new Map();
    applyRange($('threshold'), state.schema.entry('thr'));
    const threshold = (final) => state.setThreshold(Number($('threshold').value), final);
    $('threshold').addEventListener('input', () => threshold(false));
    $('threshold').addEventListener('change', () => threshold(true));
    $('full-view-open').addEventListener('click', openFullView);
  }

  /** A new dataset: the thumbnails to pick an image from. */
  showData() {
    const { state } = this;
    const ds = state.dataset;
    const box = $('samples');
    box.replaceChildren();
    for (const split of ['train', 'heldout']) {
      const label = document.createElement('span');
      label.className = 'split-label';
      label.textContent = split === 'train' ? 'Training' : 'Held-out';
      box.append(label);
      for (let i = 0; i < ds.count(split); i++) {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.split = split;
        button.dataset.index = String(i);
        button.setAttribute('aria-label', `${label.textContent}: ${state.imageName(split, i)}`);
        const thumb = document.createElement('canvas');
        drawRgba(thumb, ds.imageRgba(split, i), ds.width(split, i), ds.height(split, i));
        button.append(thumb);
        button.addEventListener('click', () => state.setView(split, i));
        box.append(button);
      }
    }
    $('full-view-open').hidden = state.source !== 'given';
  }

  /** The chosen image and its ground truth. */
  showView() {
    const { state } = this;
    const ds = state.dataset;
    const { split, index } = state.view;
    const w = ds.width(split, index);
    const h = ds.height(split, index);
    drawRgba($('image-canvas'), ds.imageRgba(split, index), w, h);
    drawRgba($('mask-canvas'), ds.maskRgba(split, index), w, h);
    const seed = state.source === 'given' ? '' : `, seed ${state.settings.scene_seed ?? state.settings.seed}`;
    $('image-caption').textContent = `${state.imageName(split, index)}, ${w}×${h}${seed}`;
    $('mask-caption').textContent = `Ground truth: ${percent(ds.foregroundFraction(split, index))} object`;
    for (const button of $('samples').querySelectorAll('button')) {
      const current = button.dataset.split === split && Number(button.dataset.index) === index;
      button.setAttribute('aria-pressed', String(current));
    }
  }

  showThreshold() {
    $('threshold').value = String(this.state.threshold);
    $('threshold-value').textContent = this.state.threshold.toFixed(2);
  }

  /** The seed switch: one option per seed of the study (`seeds`), `shown` the index on show. */
  showSeeds(seeds, shown) {
    const select = $('seed-shown');
    const options = seeds.map((seed, k) => new Option(`seed ${seed} (${k + 1} of ${seeds.length})`, String(k)));
    select.replaceChildren(...options);
    select.value = String(shown);
    $('seed-field').hidden = seeds.length < 2;
  }

  /** Rebuilds the run columns for a new set of runs; `waiting` says why there are none yet. */
  reset(runs, waiting = '') {
    for (const column of this.columns.values()) column.root.remove();
    this.columns.clear();
    $('grid-waiting').textContent = runs.length === 0 ? waiting : '';
    for (const run of runs) {
      const root = document.createElement('div');
      root.className = 'column run-column';
      root.dataset.run = String(run.lossIndex);
      const title = document.createElement('h3');
      title.textContent = run.spec;
      title.title = `${run.spec}, seed ${run.seed}`;
      const status = document.createElement('p');
      status.className = 'run-status';
      status.setAttribute('aria-live', 'polite');
      root.append(title, status);
      const canvases = {};
      for (const [key, label] of ROWS) {
        const figure = document.createElement('figure');
        const canvas = document.createElement('canvas');
        canvas.width = 96;
        canvas.height = 96;
        canvas.dataset.kind = key;
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `${label}, ${run.spec}`);
        const caption = document.createElement('figcaption');
        caption.textContent = label;
        figure.append(canvas, caption);
        root.append(figure);
        canvases[key] = canvas;
      }
      $('grid').append(root);
      this.columns.set(run, { root, status, canvases });
    }
  }

  /** Updates a run's status line and, when a new snapshot arrived, its canvases; the column's
   *  data-drawn-step says which step they show. */
  update(run) {
    const column = this.columns.get(run);
    if (!column) return;
    column.status.textContent = statusText(run);
    column.root.classList.toggle('diverged', run.status === 'diverged' || run.status === 'error');
    const snap = run.snapshot;
    if (snap && snap !== column.drawn) {
      for (const [key] of ROWS) drawRgba(column.canvases[key], snap[key], snap.width, snap.height);
      column.drawn = snap;
      column.root.dataset.drawnStep = String(snap.step);
    }
  }
}

function statusText(run) {
  const rate = run.learningRate === undefined ? '' : ` · lr ${run.learningRate}`;
  const progress = `step ${run.step}/${run.total}`;
  switch (run.status) {
    case 'starting':
      return 'starting…';
    case 'ready':
      return `${progress} · ready`;
    case 'training': {
      const rate = RunPool.wallRate(run);
      if (rate === 0) return `${progress} · training…`;
      return `${progress} · ${rate.toFixed(1)} steps/s · ETA ${formatEta((run.total - run.step) / rate)}`;
    }
    case 'paused':
      return `${progress} · paused`;
    case 'finished':
      return `${progress} · done, ${(run.computeMs / 1000).toFixed(1)} s of training${rate}`;
    case 'diverged':
      return `Stopped: ${run.message}`;
    case 'error':
      return `Error: ${run.message}`;
    default:
      return progress;
  }
}
