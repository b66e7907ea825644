// The experiment's settings as the page shows them: one object, read from and written to the controls,
// and turned into the experiment query that the engine validates (the engine owns defaults and ranges).

export const PRESETS = [
  { id: 'classic', title: 'The classic question: bce vs inverse-frequency wbce vs dice vs focal',
    losses: ['bce', 'wbce(weights=inverse_frequency)', 'dice', 'focal'] },
  { id: 'heads', title: 'Sigmoid vs softmax head (switch Head below): bce vs ce vs dice',
    losses: ['bce', 'ce', 'dice'] },
  { id: 'region', title: 'Region losses: dice vs generalized dice vs tversky vs lovasz',
    losses: ['dice', 'gdice', 'tversky(alpha=0.3,beta=0.7)', 'lovasz'] },
  { id: 'combos', title: 'Combinations: bce vs dice vs 0.5*bce+0.5*dice vs focal+dice',
    losses: ['bce', 'dice', '0.5*bce+0.5*dice', 'focal+dice'] },
];

export const MAX_RUNS = 6;

const NUMBER_FIELDS = ['layers', 'channels', 'lr', 'batch', 'patch', 'steps'];
const QUERY_KEYS = { layers: 'layers', channels: 'ch', kernel: 'k', dilations: 'dil', head: 'head',
  optimizer: 'opt', lr: 'lr', batch: 'batch', patch: 'patch', steps: 'steps' };

const $ = (id) => document.getElementById(id);

/** Reads the model and training controls. */
export function readModelControls() {
  const out = {};
  for (const key of Object.keys(QUERY_KEYS)) {
    const value = $(key).value.trim();
    out[key] = NUMBER_FIELDS.includes(key) ? Number(value) : value;
  }
  return out;
}

/** Writes the engine's normalised settings (keyed by query names) back to the controls. */
export function writeModelControls(normalized) {
  for (const [key, name] of Object.entries(QUERY_KEYS)) $(key).value = String(normalized[name]);
}

/** The experiment query: `v=1&demo=cells&seed=1&losses=bce;dice&layers=2...`. `extras` carries the
 * settings a link may hold that the page has no control for (momentum, augmentation); `data`, the
 * user's images as the engine encodes them, replaces the demo scene. */
export function toQuery({ scene, seed, sceneSeed, losses, model, extras, data = null }) {
  const source = data === null ? [`demo=${encodeURIComponent(scene)}`, `scene_seed=${sceneSeed}`] : [];
  const parts = ['v=1', ...source, `seed=${seed}`, `losses=${losses.map(encodeURIComponent).join(';')}`];
  for (const [key, name] of Object.entries(QUERY_KEYS)) {
    parts.push(`${name}=${encodeURIComponent(String(model[key]))}`);
  }
  for (const [name, value] of Object.entries(extras)) parts.push(`${name}=${encodeURIComponent(value)}`);
  if (data !== null) parts.push(`data=${data}`);
  return parts.join('&');
}
