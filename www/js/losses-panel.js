// The Losses panel: the losses of the experiment (one run each), a preset, the catalogue, and a spec
// field for any loss or combination. Every change goes through the engine, which refuses bad specs.
import { runColour } from './canvas.js';
import { PRESETS } from './presets.js';

const $ = (id) => document.getElementById(id);

export class LossesPanel {
  constructor(state) {
    this.state = state;
    this.max = state.schema.limits.maxLosses;
    // Shown while the list is no preset's (a link's, or the user's own), so the menu names no preset
    // that is not what is set.
    const own = new Option('Your own list (no preset)', '');
    own.disabled = true;
    $('preset').add(own);
    for (const preset of PRESETS) $('preset').add(new Option(preset.title, preset.id));
    // Each preset's list as the engine writes it (defaults left out), to recognise it in any experiment.
    this.presetLists = new Map(
      PRESETS.map((p) => {
        const query = `v=1&losses=${encodeURIComponent(p.losses.join(';'))}`;
        return [state.api.normalizeExperiment(query, 'link').settings.losses, p.id];
      }),
    );
    $('preset').addEventListener('change', () => {
      const preset = PRESETS.find((p) => p.id === $('preset').value);
      if (preset) this.set(preset.losses);
    });
    for (const entry of state.api.lossCatalogue())
      $('loss-pick').add(new Option(`${entry.name} — ${entry.title}`, entry.name));
    const pick = () => {
      $('loss-spec').value = $('loss-pick').value;
    };
    $('loss-pick').addEventListener('change', pick);
    pick();
    $('add-loss').addEventListener('click', () => this.add());
    $('loss-spec').addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.add();
    });
  }

  /** Asks for `losses` as the experiment's list; a refusal is shown and the list stays. */
  set(losses) {
    const { error, notes = [] } = this.state.apply({ settings: { losses: losses.join(';') } });
    this.message(error ?? notes.join(' '));
  }

  add() {
    const spec = $('loss-spec').value.trim();
    if (!spec) return;
    if (this.state.losses.length >= this.max) {
      this.message(`At most ${this.max} losses at once.`);
      return;
    }
    this.set([...this.state.losses, spec]);
  }

  message(text) {
    $('loss-error').textContent = text;
  }

  render() {
    const losses = this.state.losses;
    $('preset').value = this.presetLists.get(losses.join(';')) ?? '';
    $('loss-list').replaceChildren(
      ...losses.map((spec, i) => {
        const item = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = 'run-swatch';
        swatch.style.background = runColour(i);
        const code = document.createElement('code');
        code.textContent = spec;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = 'Remove';
        remove.setAttribute('aria-label', `Remove ${spec}`);
        remove.disabled = losses.length === 1;
        remove.addEventListener('click', () => this.set(losses.filter((_, j) => j !== i)));
        item.append(swatch, code, remove);
        return item;
      }),
    );
    $('add-loss').disabled = losses.length >= this.max;
  }
}
