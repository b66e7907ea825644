// Live curves drawn by uPlot: training loss (smoothed, each run divided by its first value, since losses
// live on different scales) and held-out Dice, all runs on one chart each, x = step.
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
    const series = runs.map((run, i) => ({ label: run.spec, stroke: runColour(i), width: 2, spanGaps: true }));
    const make = (box, yLabel, range) =>
      new uPlot(
        {
          width,
          height: 220,
          series: [{ label: 'step' }, ...series],
          scales: { x: { time: false }, y: range ? { range } : {} },
          axes: [
            { label: 'step', stroke: 'currentColor', grid: { stroke: '#8884' } },
            { label: yLabel, stroke: 'currentColor', grid: { stroke: '#8884' } },
          ],
          legend: { live: false },
        },
        [[], ...runs.map(() => [])],
        box,
      );
    this.plots = [make(this.boxes[0], 'loss / loss at step 1'), make(this.boxes[1], 'Dice', [0, 1])];
  }

  /** Redraws from the runs' histories: both charts, or only chart `which` (0 loss, 1 Dice). */
  update(runs, which = null) {
    if (this.plots.length === 0) return;
    const steps = [...new Set(runs.flatMap((run) => run.history.step))].sort((a, b) => a - b);
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
    if (which !== 0) this.plots[1].setData([steps, ...runs.map((run) => column(run, (i) => run.history.dice[i]))]);
  }

  width() {
    return Math.max(240, Math.floor(this.boxes[0].getBoundingClientRect().width));
  }

  resize() {
    for (const plot of this.plots) plot.setSize({ width: this.width(), height: 220 });
  }
}
