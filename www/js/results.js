// The results grid: one column per run, synchronized on the same image and threshold.
import { drawRgba } from './canvas.js';
import { RunPool } from './runs.js';

const ROWS = [
  ['probability', 'Probability of object'],
  ['mask', 'Mask at threshold'],
  ['overlay', 'TP / FP / FN on the image'],
  ['gradient', 'Gradient of the loss (where it pushes)'],
];

const formatEta = (seconds) => (seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`);

export class ResultsGrid {
  constructor(container) {
    this.container = container;
    this.columns = new Map();
  }

  /** Rebuilds the run columns for a new set of runs. */
  reset(runs) {
    for (const column of this.columns.values()) column.root.remove();
    this.columns.clear();
    for (const run of runs) {
      const root = document.createElement('div');
      root.className = 'column run-column';
      root.dataset.run = String(run.lossIndex);
      const title = document.createElement('h3');
      title.textContent = run.spec;
      title.title = run.spec;
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
      this.container.append(root);
      this.columns.set(run, { root, status, canvases });
    }
  }

  /** Updates a run's status line and, when a new snapshot arrived, its canvases. */
  update(run) {
    const column = this.columns.get(run);
    if (!column) return;
    column.status.textContent = statusText(run);
    column.root.classList.toggle('diverged', run.status === 'diverged' || run.status === 'error');
    const snap = run.snapshot;
    if (snap && snap !== column.drawn) {
      for (const [key] of ROWS) drawRgba(column.canvases[key], snap[key], snap.width, snap.height);
      column.drawn = snap;
    }
  }
}

function statusText(run) {
  const progress = `step ${run.step}/${run.total}`;
  switch (run.status) {
    case 'starting': return 'starting…';
    case 'ready': return `${progress} · ready`;
    case 'training': {
      const rate = RunPool.wallRate(run);
      if (rate === 0) return `${progress} · training…`;
      return `${progress} · ${rate.toFixed(1)} steps/s · ETA ${formatEta((run.total - run.step) / rate)}`;
    }
    case 'paused': return `${progress} · paused`;
    case 'finished': return `${progress} · done, ${(run.computeMs / 1000).toFixed(1)} s of training`;
    case 'diverged': return `Stopped: ${run.message}`;
    case 'error': return `Error: ${run.message}`;
    default: return progress;
  }
}
