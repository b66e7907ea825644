// Which images the page's scores are computed on: the held-out images, or the training images when
// none is held out (then every score says so, and none is called held-out).

const $ = (id) => document.getElementById(id);

/** A run's scored metrics: of the held-out images, else of the training images. */
export const scored = (metrics) => metrics?.heldout ?? metrics?.train;

/** What the scores of `dataset` are computed on, in words: "held-out images" or "training images". */
export const scoredOn = (dataset) => (dataset.count('heldout') > 0 ? 'held-out images' : 'training images');

/** Titles the Dice chart and the summary by what they score. */
export function labelScores(dataset) {
  const on = scoredOn(dataset);
  const none = dataset.count('heldout') === 0 ? ', none is held out' : '';
  $('dice-caption').textContent = `Dice on the ${on}${none}, threshold 0.5`;
  $('summary-heading').textContent = `Summary (${on}${none}, threshold 0.5)`;
}
