// The full-resolution dialog: the chosen image of the user's at the size it was uploaded (up to the
// engine's largest side), with each run's predicted mask on it, asked of each run's worker.
import { drawRgba } from './canvas.js';

const $ = (id) => document.getElementById(id);

export class FullView {
  constructor(state, pool) {
    this.state = state;
    this.pool = pool;
    $('full-view-close').addEventListener('click', () => $('full-view').close());
  }

  figure(caption, rgba, width, height) {
    const figure = document.createElement('figure');
    const canvas = document.createElement('canvas');
    drawRgba(canvas, rgba, width, height);
    const text = document.createElement('figcaption');
    text.textContent = caption;
    figure.append(canvas, text);
    $('full-view-figures').append(figure);
  }

  open() {
    const { state } = this;
    const item = state.item();
    if (!item) return;
    const { threshold, trainSide } = state;
    const { width, height } = item;
    $('full-view-figures').replaceChildren();
    this.figure(`${item.name}, ${width}×${height}`, new Uint8ClampedArray(item.rgba), width, height);
    const runs = this.pool.answering;
    let answered = 0;
    const status = (text) => {
      $('full-view-status').textContent = text;
    };
    $('full-view-title').textContent = `${item.name} at ${width}×${height}`;
    status(runs.length === 0 ? 'No run is ready yet.' : `Predicting with ${runs.length} runs…`);
    const problems = [];
    for (const run of runs) {
      this.pool
        .predictFull(run, item, threshold)
        .then((result) => {
          const caption = `${run.spec} at step ${run.step}: mask at threshold ${threshold.toFixed(2)}`;
          this.figure(caption, result.mask, result.width, result.height);
        })
        .catch((error) => problems.push(`${run.spec} could not predict: ${error.message}.`))
        .finally(() => {
          answered += 1;
          if (answered < runs.length) {
            status(`Predicting: ${answered} of ${runs.length} runs done…`);
            return;
          }
          status(
            `Each run's mask on the image at ${width}×${height}; the runs trained at up to ${trainSide} px, ` +
              `so objects look larger to them here than in training. ${problems.join(' ')}`.trim(),
          );
        });
    }
    $('full-view').showModal();
  }
}
