// Live curves drawn by uPlot: training loss (smoothed, each run divided by its first value, since losses
// live on different scales) and held-out Dice, the runs of the seed shown on one chart each, x = step;
// behind each Dice line, the band of its loss over the seeds done (the engine's mean and interval).
import uPlot from '../vendor/uPlot.esm.js';
import { runColour } from './canvas.js';

// Each step's loss is of one random batch, so the raw curve is mostly noise: an exponential moving
// average (weight SMOOTHING on the past, bias-corrected like TensorBoard's) shows the trend.
const SMOOTHING = 0.9;

function smoothed(values) {
  let average = 0;
  let weight = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return NaN;
    average = SMOOTHING * average + (1 - SMOOTHING) * v;
    weight = SMOOTHING * weight + (1 - SMOOTHING);
    return average / weight;
  });
}

export class Charts {
  constructor(lossBox, diceBox) {
    this.boxes = [lossBox, diceBox];
    this.plots = [];
    new ResizeObserver(() => this.resize()).observe(lossBox);
  }

  reset(runs) {
    for (const plot of this.plots) plot.destroy();
    const width = this.width();
    const series = runs.map((run) => ({
      label: run.spec,
      stroke: runColour(run.lossIndex),
      width: 2,
      spanGaps: true,
    }));
    // Per run, the band's low and high edges: thin lines, filled between.
    const edges = runs.flatMap((run) =>
      ['low', 'high'].map((edge) => ({
        label: `${run.spec}: interval ${edge}`,
        stroke: `${runColour(run.lossIndex)}66`,
        width: 1,
        spanGaps: true,
        class: 'band-edge',
      })),
    );
    const bands = runs.map((run, i) => ({
      series: [runs.length + 2 + 2 * i, runs.length + 1 + 2 * i],
      fill: `${runColour(run.lossIndex)}22`,
    }));
    const make = (box, yLabel, range, extra = [], fills = []) =>
      new uPlot(
        {
          width,
          height: 220,
          series: [{ label: 'step' }, ...series, ...extra],
          bands: fills,
          scales: { x: { time: false }, y: range ? { range } : {} },
          axes: [
            { label: 'step', stroke: 'currentColor', grid: { stroke: '#8884' } },
            { label: yLabel, stroke: 'currentColor', grid: { stroke: '#8884' } },
          ],
          legend: { live: false },
        },
        [[], ...runs.map(() => []), ...extra.map(() => [])],
        box,
      );
    this.plots = [make(this.boxes[0], 'loss / loss at step 1'), make(this.boxes[1], 'Dice', [0, 1], edges, bands)];
    this.bands = [];
  }

  /** The bands over seeds, per run in the order of `reset` (each [{ step, low, high }] or empty), and
   *  what the Dice chart shows, in words. */
  setBands(bands, caption) {
    this.bands = bands;
    this.boxes[1].previousElementSibling.textContent = caption;
  }

  /** Redraws from the runs' histories: both charts, or only chart `which` (0 loss, 1 Dice). */
  update(runs, which = null) {
    if (this.plots.length === 0) return;
    // A finished run draws the held-out Dice curve of its evidence (the steps its band has).
    const curves = runs.map((run) => run.evidence?.heldoutDiceCurve ?? null);
    const extraSteps = [...this.bands, ...curves.filter(Boolean)].flatMap((points) => points.map((p) => p.step));
    const steps = [...new Set([...runs.flatMap((run) => run.history.step), ...extraSteps])].sort((a, b) => a - b);
    const position = new Map(steps.map((s, i) => [s, i]));
    const column = (run, values) => {
      const out = new Array(steps.length).fill(null);
      run.history.step.forEach((s, i) => {
        out[position.get(s)] = values(i);
      });
      return out;
    };
    if (which !== 1) {
      const loss = runs.map((run) => {
        const smooth = smoothed(run.history.loss);
        const first = smooth.find((v) => Number.isFinite(v) && v !== 0) ?? 1;
        return column(run, (i) => (Number.isFinite(smooth[i]) ? smooth[i] / first : null));
      });
      this.plots[0].setData([steps, ...loss]);
    }
    if (which !== 0) {
      const edges = runs.flatMap((_, i) =>
        ['low', 'high'].map((edge) => {
          const out = new Array(steps.length).fill(null);
          for (const point of this.bands[i] ?? []) out[position.get(point.step)] = point[edge] ?? null;
          return out;
        }),
      );
      const dice = runs.map((run, r) => {
        if (!curves[r]) return column(run, (i) => run.history.dice[i]);
        const out = new Array(steps.length).fill(null);
        for (const point of curves[r]) out[position.get(point.step)] = point.dice;
        return out;
      });
      this.plots[1].setData([steps, ...dice, ...edges]);
    }
  }

  width() {
    return Math.max(240, Math.floor(this.boxes[0].getBoundingClientRect().width));
  }

  resize() {
    for (const plot of this.plots) plot.setSize({ width: this.width(), height: 220 });
  }
}
