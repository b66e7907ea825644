// The evidence panel's text: the verdict at the top (with the CSV download), every metric's mean and
// 95 % interval over seeds per loss with one dot per seed and the loss's group against the best one,
// each run's failures, and the learning rates (shared, or chosen per loss from a sweep). Everything is
// the engine's study (study.js); this module only lays it out and says what it was computed on.
import { runColour } from './canvas.js';
import { download } from './format.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

const fixed3 = (v) => (v == null || Number.isNaN(v) ? '—' : v.toFixed(3));

/** An SVG element with `attributes`. */
function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** A strip of one dot per seed over the interval (a line), on [0, 1] or on the values' own range. */
function dotStrip(values, summary, colour) {
  const numbers = values.filter((v) => Number.isFinite(v));
  const all = [...numbers, summary.low, summary.high].filter((v) => Number.isFinite(v));
  const lo = Math.min(0, ...all);
  const hi = Math.max(1, ...all);
  const x = (v) => 4 + ((v - lo) / (hi - lo || 1)) * 112;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 120 14');
  svg.setAttribute('class', 'dots');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `per seed: ${numbers.map(fixed3).join(', ')}`);
  if (Number.isFinite(summary.low)) {
    const [x1, x2] = [x(summary.low), x(summary.high)];
    svg.append(svgElement('line', { x1, x2, y1: 7, y2: 7, stroke: colour, 'stroke-width': 2, opacity: 0.5 }));
  }
  for (const v of numbers) svg.append(svgElement('circle', { cx: x(v), cy: 7, r: 3, fill: colour }));
  return svg;
}

export class EvidencePanel {
  constructor(study) {
    this.study = study;
    $('study-csv').addEventListener('click', () => this.downloadCsv());
  }

  downloadCsv() {
    const { result } = this.study;
    if (result) download(new Blob([result.csv], { type: 'text/csv' }), 'segloss-study.csv');
  }

  /** Redraws from the study and the pool's runs. */
  render(pool) {
    const { result, error, seedsDone } = this.study;
    const { planned, ended } = pool.counts;
    const seeds = pool.plan?.seeds.length ?? 0;
    const parts = [`${ended} of ${planned} runs ended`];
    if (seeds > 0) parts.push(`${seedsDone} of ${seeds} seeds done for every loss`);
    if (error) parts.push(`the statistics could not be computed: ${error}`);
    else if (!result) parts.push('the statistics appear when every loss has finished one seed');
    $('study-status').textContent = `${parts.join('; ')}.`;
    $('verdict-box').hidden = !result;
    this.renderRates(pool);
    this.renderFailures(pool);
    if (!result) {
      $('verdict').replaceChildren();
      $('study-table').replaceChildren();
      $('study-method').textContent = '';
      return;
    }
    $('verdict').replaceChildren(
      ...result.verdict.map((line) => {
        const item = document.createElement('li');
        item.dataset.kind = line.kind;
        item.textContent = line.text;
        return item;
      }),
    );
    $('study-method').textContent =
      `Mean and ${result.method} (seeds ${result.seeds.join(', ')}), on ${result.heldoutImages} held-out images ` +
      `with ${result.heldoutObjects} objects; "vs best" is the paired difference to the best loss over the same seeds, ` +
      'and a loss is tied with the best when that interval contains 0. Dots: one per seed.';
    this.renderTable(pool, result);
  }

  renderTable(pool, result) {
    const head = document.createElement('thead');
    const row = head.insertRow();
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.textContent = 'Metric';
    row.append(corner);
    for (const [i, loss] of result.losses.entries()) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = loss.loss;
      th.style.borderBottom = `3px solid ${runColour(i)}`;
      row.append(th);
    }
    const body = document.createElement('tbody');
    for (const metric of result.metrics) {
      const tr = body.insertRow();
      tr.dataset.metric = metric.key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = metric.label;
      tr.append(th);
      for (const [i, loss] of result.losses.entries()) {
        const cell = tr.insertCell();
        const s = metric.losses[i];
        if (!s) {
          cell.textContent = 'not defined on every seed';
          continue;
        }
        cell.dataset.loss = loss.loss;
        if (s.group) cell.dataset.group = s.group;
        const mean = document.createElement('div');
        mean.className = 'mean';
        mean.textContent = Number.isFinite(s.low)
          ? `${fixed3(s.mean)} [${fixed3(s.low)}, ${fixed3(s.high)}]`
          : `${fixed3(s.mean)} (one seed)`;
        const values = pool.runs
          .filter((run) => run.kind === 'train' && run.lossIndex === loss.lossIndex && run.evidence)
          .filter((run) => result.seeds.includes(run.seed))
          .map((run) => run.evidence.values[metric.key]);
        cell.append(mean, dotStrip(values, s, runColour(i)));
        if (s.group) {
          const group = document.createElement('div');
          group.className = `group group-${s.group}`;
          const d = s.difference;
          group.textContent = d
            ? `${s.groupLabel}; vs best ${fixed3(d.mean)}${Number.isFinite(d.low) ? ` [${fixed3(d.low)}, ${fixed3(d.high)}]` : ''}`
            : s.groupLabel;
          cell.append(group);
        }
        if (s.group === 'best') cell.classList.add('best');
      }
    }
    $('study-table').replaceChildren(head, body);
  }

  renderFailures(pool) {
    const lines = [];
    for (const run of pool.runs) {
      if (run.kind !== 'train') continue;
      const where = `${run.spec}, seed ${run.seed}`;
      if (run.status === 'error') lines.push({ where, text: `Error: ${run.message}`, kind: 'error' });
      for (const failure of run.evidence?.failures ?? []) lines.push({ where, text: failure.line, kind: failure.kind });
    }
    const list = $('failure-list');
    if (lines.length === 0) {
      const item = document.createElement('li');
      item.textContent =
        pool.counts.ended === 0 ? 'No run has ended yet.' : 'No failure detected in the runs ended so far.';
      list.replaceChildren(item);
      return;
    }
    list.replaceChildren(
      ...lines.map(({ where, text, kind }) => {
        const item = document.createElement('li');
        item.dataset.kind = kind;
        const name = document.createElement('strong');
        name.textContent = `${where}: `;
        item.append(name, text);
        return item;
      }),
    );
  }

  renderRates(pool) {
    const box = $('rates');
    const shared = pool.plan?.learningRate;
    if (!pool.plan || pool.plan.tuningRates.length === 0) {
      box.textContent =
        `Every loss trains at one shared learning rate (${shared ?? '—'}); a loss that needs another rate is at a ` +
        'disadvantage. Turn on tuning to choose a rate per loss on validation images.';
      return;
    }
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    const cells = ['Loss', ...pool.plan.tuningRates.map((r) => `lr ${r}`), 'Chosen rate'];
    for (const text of cells) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const [lossIndex, spec] of pool.specs.entries()) {
      const tr = body.insertRow();
      tr.dataset.loss = spec;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = spec;
      tr.append(th);
      const sweep = pool.runs.filter((run) => run.kind === 'tune' && run.lossIndex === lossIndex);
      const chosen = pool.rates[lossIndex];
      for (const rateIndex of pool.plan.tuningRates.keys()) {
        const run = sweep.find((r) => r.rateIndex === rateIndex);
        const cell = tr.insertCell();
        if (!run || !['finished', 'diverged', 'error'].includes(run.status)) cell.textContent = run ? '…' : '';
        else if (run.score == null) cell.textContent = run.status;
        else cell.textContent = `${fixed3(run.score)}${run.status === 'diverged' ? ' (diverged)' : ''}`;
        if (chosen && chosen.rateIndex === rateIndex) cell.classList.add('best');
      }
      const cell = tr.insertCell();
      cell.dataset.key = 'chosen';
      if (!chosen) cell.textContent = 'tuning…';
      else if (chosen.problem) cell.textContent = `none (${chosen.problem}); trains at ${shared}`;
      else cell.textContent = String(chosen.learningRate);
    }
    const note = document.createElement('p');
    note.className = 'hint';
    note.textContent =
      `Each loss tried ${pool.plan.tuningRates.length} rates in runs of ${pool.plan.tuningSteps} steps from seed ` +
      `${pool.plan.seeds[0]}, scored by the Dice at threshold 0.5 on validation images (1 in ` +
      `${pool.plan.validationEvery} of the training images, at least 1, set aside from training); never on the ` +
      'held-out images. Then it trained at the rate with the best score (ties: the lower rate; -1: diverged).';
    box.replaceChildren(table, note);
  }
}
