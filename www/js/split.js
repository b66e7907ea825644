// The held-out split of the user's images: a fraction and a seed (settings of the engine's table),
// drawn by the engine, so the same folder, fraction and seed hold out the same images everywhere.
// Ticking an image's "held out" box afterwards picks by hand; changing the fraction or seed draws again.
import { applyRange, checkFloat, checkInt } from './schema.js';

const $ = (id) => document.getElementById(id);

export class SplitControls {
  /** `redraw()` is called when the fraction or the seed changes. */
  constructor(state, redraw) {
    this.api = state.api;
    this.fractionEntry = state.schema.entry('heldout_fraction');
    this.seedEntry = state.schema.entry('split_seed');
    this.fraction = Number(this.fractionEntry.default);
    this.seed = Number(this.seedEntry.default);
    applyRange($('heldout-fraction'), this.fractionEntry);
    $('heldout-fraction').step = '0.05';
    applyRange($('split-seed'), this.seedEntry);
    $('heldout-fraction').value = String(this.fraction);
    $('split-seed').value = String(this.seed);
    const read = (id, entry, check, key) => {
      const { value, error } = check(entry, $(id).value);
      if (error) {
        $('split-message').textContent = `The ${entry.label} ${error}.`;
        return;
      }
      $('split-message').textContent = '';
      this[key] = value;
      redraw();
    };
    $('heldout-fraction').addEventListener('change', () =>
      read('heldout-fraction', this.fractionEntry, checkFloat, 'fraction'),
    );
    $('split-seed').addEventListener('change', () => read('split-seed', this.seedEntry, checkInt, 'seed'));
    $('split-redraw').addEventListener('click', () => {
      this.seed = Number(this.api.randomSeed());
      $('split-seed').value = String(this.seed);
      redraw();
    });
  }

  /** Marks the held-out images of `items` by the seeded draw. */
  draw(items) {
    const flags = this.api.seededSplit(items.length, this.fraction, this.seed);
    items.forEach((item, i) => {
      item.heldout = flags[i] === 1;
    });
    const held = items.filter((item) => item.heldout).length;
    $('split-message').textContent =
      `${held} of ${items.length} images held out (seed ${this.seed}); tick or untick images to pick by hand.`;
  }
}
