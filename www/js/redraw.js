// Turns the runs' messages into redraws: coalesced into one per animation frame, and while training
// into at most one per REDRAW_MS, since fewer frames leave more CPU to the workers and keep every frame
// short. Each redraw updates the runs' columns that changed, the charts, the summary when a run was
// evaluated, and the toolbar and Keras downloads.

const REDRAW_MS = 100;
// While training, one chart per CHART_MS, alternating: redrawing a chart is the costliest thing the
// page does, and the workers leave the main thread little CPU on a small machine.
const CHART_MS = 500;

export class RedrawLoop {
  /** `pool`: the run pool; `views`: { grid, charts, summary, controls, keras }. */
  constructor(pool, views) {
    this.pool = pool;
    this.views = views;
    this.dirty = new Set();
    this.summaryDirty = false;
    this.frame = 0;
    this.lastRedraw = 0;
    this.lastChart = 0;
    this.nextChart = 0;
  }

  /** A run's message arrived (`run` null: every run changed). */
  changed(run, type) {
    for (const changed of run ? [run] : this.pool.runs) this.dirty.add(changed);
    if (type === 'metrics' || type === 'finished' || type === 'diverged') this.summaryDirty = true;
    if (this.frame) return;
    const wait = this.pool.training ? Math.max(0, this.lastRedraw + REDRAW_MS - performance.now()) : 0;
    this.frame = setTimeout(() => requestAnimationFrame((now) => this.redraw(now)), wait);
  }

  redraw(now) {
    const { grid, charts, summary, controls, keras } = this.views;
    const { pool } = this;
    this.frame = 0;
    this.lastRedraw = now;
    for (const run of this.dirty) grid.update(run);
    this.dirty.clear();
    if (!pool.training) {
      charts.update(pool.runs);
    } else if (now - this.lastChart > CHART_MS) {
      this.lastChart = now;
      this.nextChart = 1 - this.nextChart;
      charts.update(pool.runs, this.nextChart);
    }
    if (this.summaryDirty) {
      this.summaryDirty = false;
      summary.render(pool.runs);
    }
    controls.render(pool);
    keras.update();
  }
}
