// The Data panel: the demo scene and its seed, or the user's images (uploads.js lists them), and one
// line saying what the runs train and are scored on.
import { fittedText } from './fitted-defaults.js';
import { percent } from './format.js';
import { applyRange } from './schema.js';

const $ = (id) => document.getElementById(id);

export class DataPanel {
  constructor(state) {
    this.state = state;
    for (const scene of state.api.scenes()) {
      const option = new Option(`${scene.title} (~${percent(scene.fraction)} object)`, scene.name);
      option.dataset.description = scene.description;
      $('scene').add(option);
    }
    $('scene').disabled = false;
    applyRange($('seed'), state.schema.entry('seed'));
    $('scene').addEventListener('change', () => {
      const scene = $('scene').value;
      this.report(
        scene === '' ? state.apply({ source: 'given' }) : state.apply({ source: 'demo', settings: { demo: scene } }),
      );
    });
    const seed = (text) => this.report(state.apply({ settings: { seed: text, scene_seed: null } }));
    $('seed').addEventListener('change', () => seed($('seed').value.trim()));
    $('new-seed').addEventListener('click', () => seed(String(state.api.randomSeed())));
  }

  /** Shows an intention's result under the status: a refusal instead of it, the engine's notes after it. */
  report({ error, notes = [] }) {
    this.render();
    if (error) $('status').textContent = error;
    else if (notes.length > 0) $('status').textContent += ` ${notes.join('; ')}.`;
    $('status').classList.toggle('error', Boolean(error));
  }

  render() {
    const { state } = this;
    const given = state.source === 'given';
    const count = state.images.length;
    $('given-option').disabled = count === 0;
    $('given-option').textContent = count === 0 ? 'Your images (add some below)' : `Your images (${count})`;
    $('scene').value = given ? '' : state.settings.demo;
    // The scene follows the seed unless a link gave it its own.
    if (!given) $('seed').value = state.settings.scene_seed ?? state.settings.seed;
    $('seed').disabled = given;
    $('new-seed').disabled = given;
    $('scene-description').textContent = given ? '' : ($('scene').selectedOptions[0]?.dataset.description ?? '');
    const ds = state.dataset;
    if (!ds) return;
    const sceneSeed = state.settings.scene_seed ?? state.settings.seed;
    const from = state.images.find((item) => item.openedFrom)?.openedFrom;
    const images = from ? `the ${from}'s images; file names do not travel in ${from}s` : 'your images';
    const origin = given ? `${images}, trained at up to ${state.trainSide} px` : `seed ${sceneSeed}`;
    const heldout = ds.count('heldout');
    let text =
      `${ds.count('train')} training and ${heldout} held-out images, ` +
      `${percent(ds.foregroundFractionAll())} object pixels overall (${origin}).`;
    if (given && heldout === 0)
      text +=
        ' No image is held out, so the scores are of the training images: tick "held out" on one to score unseen images.';
    $('status').textContent = text;
    $('status').classList.remove('error');
    $('data-fitted').textContent = given && state.fitted ? fittedText(state.fitted) : '';
  }
}
