// The Model and training panel: its controls are built from the engine's settings schema (label, range,
// step, choices, default); every change goes through the engine, and the controls show what it kept.
import { field, readValue, writeValue } from './schema.js';

const $ = (id) => document.getElementById(id);

/** The settings this panel shows, in order, then those of the evidence group (seeds, tuning); the
 *  others travel in links without a control here. */
const KEYS = ['layers', 'ch', 'k', 'dil', 'head', 'opt', 'lr', 'batch', 'patch', 'steps'];

export class ModelPanel {
  constructor(state) {
    this.state = state;
    this.controls = new Map();
    const evidence = state.schema.entries.filter((entry) => entry.group === 'evidence').map((entry) => entry.key);
    for (const key of [...KEYS, ...evidence]) {
      const box = field(state.schema.entry(key));
      const control = box.querySelector('[data-key]');
      control.addEventListener('change', () => this.change(key, readValue(control)));
      this.controls.set(key, control);
      $('model-fields').append(box);
    }
  }

  change(key, value) {
    const { error, notes = [] } = this.state.apply({ settings: { [key]: value } });
    if (error) this.render();
    $('settings-error').textContent = error ?? notes.join(' ');
  }

  render() {
    for (const [key, control] of this.controls) writeValue(control, this.state.settings[key]);
  }
}
