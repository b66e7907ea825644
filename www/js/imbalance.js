// The dataset's class imbalance at a glance: a histogram of each image's object fraction for the
// training and the held-out images, the class weights the weighted losses take from the training
// masks (scope=dataset: inverse and median frequency), and the images with no object or no background.
// Everything is counted on the images as the runs train on them (at the training size).
import { percent } from './format.js';

/** Bins of 5 % of the image: bin i holds fractions in [i/20, (i+1)/20), the last one 100 % too. */
export const BINS = 20;
export const binOf = (fraction) => Math.min(BINS - 1, Math.floor(fraction * BINS));

const $ = (id) => document.getElementById(id);
const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};
const weight = (w) => w.toPrecision(3);

/** Bars of per-image object fractions; each bar says its range and count in words. */
function histogram(split, label, fractions) {
  const counts = new Array(BINS).fill(0);
  for (const f of fractions) counts[binOf(f)] += 1;
  const tallest = Math.max(1, ...counts);
  const figure = el('figure', 'histogram');
  figure.dataset.split = split;
  figure.append(el('figcaption', null, `${label}: ${fractions.length} images`));
  const bars = el('div', 'histogram-bars');
  bars.setAttribute('role', 'list');
  counts.forEach((count, i) => {
    const bar = el('div', 'histogram-bar');
    bar.setAttribute('role', 'listitem');
    const to = i === BINS - 1 ? '100 %]' : `${(i + 1) * 5} %)`;
    bar.title = `[${i * 5} %, ${to}: ${count} image${count === 1 ? '' : 's'}`;
    bar.setAttribute('aria-label', bar.title);
    bar.dataset.count = String(count);
    bar.style.setProperty('--height', String(count / tallest));
    bars.append(bar);
  });
  figure.append(bars, el('div', 'histogram-axis', '0 %  ·  object share of the image  ·  100 %'));
  return figure;
}

/** The warning for images of `split` with no object or no background, naming them. */
function coverageWarnings(state, split, { empty, full }) {
  const names = (indices) => {
    const shown = indices.slice(0, 5).map((i) => state.imageName(split, i));
    return shown.join(', ') + (indices.length > 5 ? ` and ${indices.length - 5} more` : '');
  };
  const which = split === 'train' ? 'training' : 'held-out';
  const out = [];
  if (empty.length > 0) {
    out.push(
      `${empty.length} ${which} image${empty.length === 1 ? ' has' : 's have'} no object (${names(empty)}): ` +
        'per-image Dice, Tversky and Lovász have nothing to overlap there.',
    );
  }
  if (full.length > 0) {
    out.push(
      `${full.length} ${which} image${full.length === 1 ? ' is' : 's are'} all object (${names(full)}): ` +
        'nothing to tell apart there.',
    );
  }
  return out;
}

export class ImbalancePanel {
  constructor(state) {
    this.state = state;
  }

  render() {
    const { dataset } = this.state;
    const body = $('imbalance-body');
    body.replaceChildren();
    if (!dataset) return;
    const train = dataset.imbalance('train');
    const heldout = dataset.imbalance('heldout');
    const side = this.state.source === 'given' ? `at ${this.state.trainSide} px` : 'as generated';
    body.append(
      el('p', 'hint', `Per-image object share of the images as the runs train on them (${side}).`),
      histogram('train', 'Training images', train.fractions),
    );
    if (heldout.fractions.length > 0) body.append(histogram('heldout', 'Held-out images', heldout.fractions));
    const [ibg, ifg] = train.inverseFrequency;
    const [mbg, mfg] = train.medianFrequency;
    const weights = el('p', 'class-weights');
    weights.textContent =
      `Object pixels: ${percent(train.overall)} of the ${train.fractions.length} training images. ` +
      `Class weights from them, as losses with weights=…, scope=dataset use them (background, object): ` +
      `inverse frequency ${weight(ibg)}, ${weight(ifg)}; median frequency ${weight(mbg)}, ${weight(mfg)}.`;
    weights.dataset.inverse = `${ibg},${ifg}`;
    weights.dataset.median = `${mbg},${mfg}`;
    body.append(weights);
    for (const text of [
      ...coverageWarnings(this.state, 'train', train),
      ...coverageWarnings(this.state, 'heldout', heldout),
    ]) {
      body.append(el('p', 'hint error imbalance-warning', text));
    }
  }
}
