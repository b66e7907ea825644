// The evidence panel's charts, drawn by uPlot in its x-per-series mode from the runs' evidence: the
// precision–recall curve of each loss with its AP, the reliability diagram with the ECE, each held-out
// image's Dice against its object fraction (one colour per loss), the learning-rate sweep, and object
// recall by size. Curves are of the seed shown; each caption says which images, threshold and seed.
import uPlot from '../vendor/uPlot.esm.js';
import { runColour } from './canvas.js';

const $ = (id) => document.getElementById(id);
const HEIGHT = 240;
const fixed3 = (v) => (v == null || Number.isNaN(v) ? '—' : v.toFixed(3));

/** A chart of (x, y) series, each with its own x values: `series` [{ label, colour, points, lines }]. */
function facetChart(box, { xLabel, yLabel, xRange, yRange, series, log = false }) {
  if (series.length === 0) {
    box.replaceChildren();
    return null;
  }
  const width = Math.max(240, Math.floor(box.getBoundingClientRect().width));
  const options = {
    mode: 2,
    width,
    height: HEIGHT,
    scales: {
      x: { time: false, auto: !xRange, range: xRange, distr: log ? 3 : 1 },
      y: { auto: !yRange, range: yRange },
    },
    axes: [
      { label: xLabel, stroke: 'currentColor', grid: { stroke: '#8884' } },
      { label: yLabel, stroke: 'currentColor', grid: { stroke: '#8884' } },
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: s.lines === false ? 0 : 2,
        dash: s.dash,
        paths: s.lines === false ? () => null : undefined,
        points: { show: s.points ?? false, size: 6, fill: s.colour, stroke: s.colour },
        facets: [
          { scale: 'x', auto: !xRange },
          { scale: 'y', auto: !yRange },
        ],
      })),
    ],
  };
  const data = [null, ...series.map((s) => [s.x, s.y])];
  box.replaceChildren();
  return new uPlot(options, data, box);
}

export class EvidenceCharts {
  constructor() {
    this.key = '';
    this.jobs = [];
  }

  /** Redraws when the runs on show ended or the sweep moved on; `pool` holds the runs. Each chart is
   *  drawn in a task of its own, so no task of the page grows long. */
  render(pool) {
    const shown = pool.shownRuns;
    const ended = shown.filter((run) => run.evidence);
    const sweep = pool.runs.filter((run) => run.kind === 'tune' && run.score != null);
    const key = `${pool.generation}|${pool.shownSeed}|${ended.map((r) => r.id)}|${sweep.length}`;
    if (key === this.key) return;
    this.key = key;
    const seed = pool.plan?.seeds[pool.shownSeed];
    const images = ended[0]?.evidence.heldoutImages;
    const where = `${images ?? 'the'} held-out images, seed ${seed ?? '—'}`;
    const idle = this.jobs.length === 0;
    this.jobs = [
      () => this.precisionRecall(ended, where),
      () => this.reliability(ended, where),
      () => this.perImage(ended, where),
      () => this.sweep(pool),
      () => this.sizes(ended, seed),
    ];
    if (idle) this.next();
  }

  next() {
    setTimeout(() => {
      try {
        this.jobs.shift()?.();
      } finally {
        if (this.jobs.length > 0) this.next();
      }
    }, 0);
  }

  precisionRecall(runs, where) {
    $('pr-caption').textContent =
      `Precision–recall on the pooled pixels of ${where}, every threshold (AP: average precision, as scikit-learn)`;
    facetChart($('pr-chart'), {
      xLabel: 'recall',
      yLabel: 'precision',
      xRange: [0, 1],
      yRange: [0, 1],
      series: runs.map((run) => ({
        label: `${run.spec} (AP ${fixed3(run.evidence.averagePrecision)})`,
        colour: runColour(run.lossIndex),
        x: run.evidence.prCurve.map((p) => p.recall),
        y: run.evidence.prCurve.map((p) => p.precision),
      })),
    });
  }

  reliability(runs, where) {
    $('reliability-caption').textContent =
      `Reliability on the pooled pixels of ${where}: share of object pixels against the mean p(object) of each ` +
      'of 15 bins (and p = 1); on the diagonal is calibrated. ECE: expected calibration error';
    const diagonal = { label: 'calibrated', colour: '#8888', x: [0, 1], y: [0, 1], dash: [4, 4] };
    facetChart($('reliability-chart'), {
      xLabel: 'mean p(object) in the bin',
      yLabel: 'share of object pixels',
      xRange: [0, 1],
      yRange: [0, 1],
      series: [
        diagonal,
        ...runs.map((run) => {
          const bins = run.evidence.calibration.bins.filter((b) => b.count > 0);
          return {
            label: `${run.spec} (ECE ${fixed3(run.evidence.calibration.ece)})`,
            colour: runColour(run.lossIndex),
            points: true,
            x: bins.map((b) => b.meanProbability),
            y: bins.map((b) => b.objectFraction),
          };
        }),
      ],
    });
  }

  perImage(runs, where) {
    $('per-image-caption').textContent =
      `Dice at threshold 0.5 of each image of ${where}, against the share of the image that is object`;
    facetChart($('per-image-chart'), {
      xLabel: 'object fraction of the image',
      yLabel: 'Dice of the image',
      yRange: [0, 1],
      series: runs.map((run) => {
        const points = [...run.evidence.dice.images].sort((a, b) => a.objectFraction - b.objectFraction);
        return {
          label: `${run.spec} (mean ${fixed3(run.evidence.dice.perImageMean)})`,
          colour: runColour(run.lossIndex),
          points: true,
          lines: false,
          x: points.map((p) => p.objectFraction),
          y: points.map((p) => p.dice),
        };
      }),
    });
  }

  sweep(pool) {
    const box = $('sweep-chart');
    const rates = pool.plan?.tuningRates ?? [];
    box.closest('figure').hidden = rates.length === 0;
    if (rates.length === 0) return;
    $('sweep-caption').textContent =
      `Learning-rate sweep: Dice at threshold 0.5 on the validation images (set aside from the training images) ` +
      `after ${pool.plan.tuningSteps} steps at seed ${pool.plan.seeds[0]}; -1 marks a run that diverged`;
    facetChart(box, {
      xLabel: 'learning rate',
      yLabel: 'validation Dice at 0.5',
      log: true,
      series: pool.specs.map((spec, lossIndex) => {
        const runs = pool.runs
          .filter((run) => run.kind === 'tune' && run.lossIndex === lossIndex && Number.isFinite(run.score))
          .sort((a, b) => a.rateIndex - b.rateIndex);
        return {
          label: spec,
          colour: runColour(lossIndex),
          points: true,
          x: runs.map((run) => run.learningRate),
          y: runs.map((run) => run.score),
        };
      }),
    });
  }

  sizes(runs, seed) {
    const table = $('size-table');
    const bins = runs.find((run) => run.evidence.recallBySize)?.evidence.recallBySize;
    if (!bins) {
      table.replaceChildren();
      return;
    }
    const head = table.createTHead();
    head.replaceChildren();
    const row = head.insertRow();
    for (const text of ['Loss (seed shown)', ...bins.map((b) => `${b.label}: matched / true objects`), 'Object F1']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      row.append(th);
    }
    const body = document.createElement('tbody');
    for (const run of runs) {
      const tr = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = `${run.spec}, seed ${seed}`;
      tr.append(th);
      for (const bin of run.evidence.recallBySize ?? []) {
        const recall = bin.recall == null ? 'too few objects' : fixed3(bin.recall);
        tr.insertCell().textContent = `${recall} (${bin.matched}/${bin.objects})`;
      }
      tr.insertCell().textContent = fixed3(run.evidence.objectScores.f1);
    }
    table.tBodies[0]?.remove();
    table.append(body);
    const caption = table.createCaption();
    caption.textContent =
      'Held-out objects (8-connected) matched at IoU > 0.5 with the mask at threshold 0.5; sizes in pixels at ' +
      'training size; a bin with fewer than 5 objects says too few. Means over seeds are in the table above.';
  }
}
