// The engine's settings schema and limits, and form controls built from them: the page's only source
// of defaults, ranges, steps and choices (index.html holds none). An entry is
// { key, label, group, kind, default, min, max, step, choices, help, inLink }, values are link text.
export class Schema {
  constructor(api) {
    this.entries = api.settingsSchema();
    this.limits = api.engineLimits();
    this.byKey = new Map(this.entries.map((entry) => [entry.key, entry]));
  }

  entry(key) {
    const entry = this.byKey.get(key);
    if (!entry) throw new Error(`the engine's settings schema has no "${key}"`);
    return entry;
  }

  /** Whether a setting changes the runs (view settings such as the threshold travel in links only). */
  affectsRuns(key) {
    const entry = this.byKey.get(key);
    return !entry || (entry.inLink && entry.group !== 'view');
  }
}

/** The size the engine trains an image at when its longest side is limited to `maxSide`. */
export const fittedSize = (api, width, height, maxSide) => api.fittedSize(width, height, maxSide);

/** Sets min, max and step of a number or range input from `entry`. */
export function applyRange(input, entry) {
  input.min = String(entry.min);
  input.max = String(entry.max);
  input.step = String(entry.step ?? (entry.kind === 'int' ? 1 : 'any'));
}

/** A control for `entry` (a select, checkbox, number or text input) showing its default. */
export function control(entry, id = `setting-${entry.key}`) {
  let element;
  if (entry.kind === 'choice') {
    element = document.createElement('select');
    for (const choice of entry.choices) element.add(new Option(choice.label, choice.value));
  } else {
    element = document.createElement('input');
    element.type = { bool: 'checkbox', int: 'number', float: 'number' }[entry.kind] ?? 'text';
    if (element.type === 'number') applyRange(element, entry);
    if (entry.kind === 'int') element.inputMode = 'numeric';
    if (entry.kind === 'text') element.spellcheck = false;
  }
  element.id = id;
  element.dataset.key = entry.key;
  if (entry.help) element.title = entry.help;
  writeValue(element, entry.default);
  return element;
}

/** A labelled field holding `control(entry)`. */
export function field(entry) {
  const box = document.createElement('div');
  box.className = 'field';
  const input = control(entry);
  const label = document.createElement('label');
  label.htmlFor = input.id;
  label.textContent = entry.label;
  box.append(label, input);
  return box;
}

/** A control's value as link text. */
export const readValue = (element) =>
  element.type === 'checkbox' ? (element.checked ? '1' : '0') : element.value.trim();

export function writeValue(element, text) {
  if (element.type === 'checkbox') element.checked = text !== '0';
  else element.value = String(text);
}

/** A page-only whole number checked against its entry: { value } or { error } ("must be …"). */
export function checkInt(entry, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < entry.min || value > entry.max) {
    return { error: `must be a whole number from ${entry.min} to ${entry.max}` };
  }
  return { value };
}

/** { value } if `text` is a number in `entry`'s range, else { error } saying the range. */
export function checkFloat(entry, text) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < entry.min || value > entry.max) {
    return { error: `must be a number from ${entry.min} to ${entry.max}` };
  }
  return { value };
}
