// Turns the runs' messages into redraws: coalesced into one per animation frame, and while training
// into at most one per REDRAW_MS, since fewer frames leave more CPU to the workers and keep every frame
// short. Each redraw updates the columns of the runs on show that changed (rebuilding the grid and the
// curves when the runs on show changed: another seed, or runs that start after tuning), the charts, the
// summary when a run was evaluated, the study and the evidence panel when a run started or ended, and
// the toolbar and Keras downloads.

import { scoredOn } from './scored.js';

const REDRAW_MS = 100;
// While training, one chart per CHART_MS, alternating: redrawing a chart is the costliest thing the
// page does, and the workers leave the main thread little CPU on a small machine.
const CHART_MS = 500;

export class RedrawLoop {
  /** `pool`: the run pool; `views`: { grid, charts, summary, controls, keras, study, evidence, evidenceCharts };
   *  `dataset`: the page's dataset now (which images the curves score). */
  constructor(pool, views, dataset) {
    this.pool = pool;
    this.views = views;
    this.dataset = dataset;
    this.dirty = new Set();
    this.summaryDirty = false;
    this.evidenceDirty = false;
    this.shownKey = null;
    this.frame = 0;
    this.lastRedraw = 0;
    this.lastChart = 0;
    this.nextChart = 0;
  }

  /** A run's message arrived (`run` null: every run changed). */
  changed(run, type) {
    for (const changed of run ? [run] : this.pool.runs) this.dirty.add(changed);
    if (type === 'metrics' || type === 'finished' || type === 'error') this.summaryDirty = true;
    if (!run || type === 'ready' || type === 'finished' || type === 'error') this.evidenceDirty = true;
    if (this.frame) return;
    const wait = this.pool.training ? Math.max(0, this.lastRedraw + REDRAW_MS - performance.now()) : 0;
    this.frame = setTimeout(() => requestAnimationFrame((now) => this.redraw(now)), wait);
  }

  /** Rebuilds the grid and the curves when the runs on show are others than those drawn. */
  showRuns() {
    const { grid, charts, summary } = this.views;
    const shown = this.pool.shownRuns;
    const key = `${this.pool.generation}|${shown.map((run) => run.id).join(',')}`;
    if (key === this.shownKey) return shown;
    this.shownKey = key;
    const tuning = this.pool.plan?.tuningRates.length > 0;
    grid.reset(
      shown,
      tuning ? "Each loss's runs appear here once its learning-rate sweep has ended (see Learning rates)." : '',
    );
    grid.showSeeds(this.pool.plan?.seeds ?? [], this.pool.shownSeed);
    charts.reset(shown);
    summary.render(shown);
    this.bandsFor(shown);
    for (const run of shown) this.dirty.add(run);
    return shown;
  }

  /** The study's held-out Dice band of each loss on show. */
  bandsFor(shown) {
    const { result } = this.views.study;
    const seed = this.pool.plan?.seeds[this.pool.shownSeed];
    const scoresHeldout = scoredOn(this.dataset()) === 'held-out images';
    const on = scoresHeldout
      ? 'Held-out Dice at threshold 0.5 (pooled over the held-out images)'
      : 'Dice on the training images, none is held out, threshold 0.5';
    const lines = `${on}: lines, seed ${seed ?? '—'}`;
    const caption =
      result?.seeds.length > 1 ? `${lines}; bands, the ${result.method} (seeds ${result.seeds.join(', ')})` : lines;
    const bands = result?.bands ?? [];
    this.views.charts.setBands(
      shown.map((run) => bands[run.lossIndex] ?? []),
      caption,
    );
  }

  redraw(now) {
    const { grid, charts, summary, controls, keras, study, evidence, evidenceCharts } = this.views;
    const { pool } = this;
    this.frame = 0;
    this.lastRedraw = now;
    const shown = this.showRuns();
    for (const run of this.dirty) if (shown.includes(run)) grid.update(run);
    this.dirty.clear();
    if (this.evidenceDirty) {
      this.evidenceDirty = false;
      // In a task of its own: the statistics and their table are the heaviest redraw of the page.
      setTimeout(() => {
        if (study.update(pool)) this.bandsFor(this.pool.shownRuns);
        evidence.render(pool);
        evidenceCharts.render(pool);
      }, 0);
    }
    if (!pool.training) {
      charts.update(shown);
    } else if (now - this.lastChart > CHART_MS) {
      this.lastChart = now;
      this.nextChart = 1 - this.nextChart;
      charts.update(shown, this.nextChart);
    }
    if (this.summaryDirty) {
      this.summaryDirty = false;
      summary.render(shown);
    }
    controls.render(pool);
    keras.update();
  }
}
