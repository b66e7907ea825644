// The page's entry point: owns the page state, wires controls to the run pool and the views.
// The main thread only draws; training happens in one worker per loss (runs.js, worker.js).
import { loadEngine } from './engine.js';
import { drawRgba } from './canvas.js';
import { PRESETS, MAX_RUNS, readModelControls, writeModelControls, toQuery } from './settings.js';
import { RunPool } from './runs.js';
import { ResultsGrid } from './results.js';
import { Charts, runColour } from './charts.js';
import { SummaryTable } from './summary.js';
import { renderShapes } from './shapes.js';
import { LossExplorer } from './explorer.js';
import { SharePanel, linkQuery } from './share.js';
import { UploadPanel } from './uploads.js';
import { Painter } from './painter.js';
import { ExperimentFile } from './experiment-file.js';
import { KerasPanel } from './keras.js';

const $ = (id) => document.getElementById(id);
const percent = (x) => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)} %`;

const state = {
  engine: null, dataset: null, pool: null, grid: null, charts: null, summary: null, explorer: null,
  scene: 'cells', seed: 1, sceneSeed: 1, losses: [...PRESETS[0].losses], query: '', extras: {}, share: null,
  // 'demo' or 'given' (the user's images, encoded by the engine at trainSide and, for links, at linkSide).
  source: 'demo', uploads: null, givenData: null, trainSide: 256, linkSide: 64,
  view: { split: 'train', index: 0 }, threshold: 0.5, dirty: new Set(), frame: 0, lastRedraw: 0, lastChart: 0, nextChart: 0,
};

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

function showBuildInfo({ api, simd, flavour }) {
  const simdText = simd ? 'wasm SIMD on' : flavour === 'portable' ? 'wasm SIMD off (portable build)' : '';
  $('build-info').textContent = `segloss ${api.version()} · kernel ${api.kernelName()} · ${simdText}`;
  document.body.dataset.kernel = api.kernelName();
}

// ---- data -----------------------------------------------------------------------------------------

function fillScenePicker(api) {
  const picker = $('scene');
  for (const scene of api.scenes()) {
    const option = new Option(`${scene.title} (~${percent(scene.fraction)} object)`, scene.name);
    option.dataset.description = scene.description;
    picker.add(option);
  }
  picker.value = state.scene;
  picker.disabled = false;
}

function generateDataset() {
  const { api } = state.engine;
  const given = state.source === 'given';
  try {
    const next = given ? api.Dataset.given(state.givenData.train) : api.Dataset.demo(state.scene, state.sceneSeed);
    state.dataset?.free();
    state.dataset = next;
  } catch (error) {
    setStatus(`Could not ${given ? 'use your images' : 'generate the scene'}: ${error.message}`, true);
    return false;
  }
  state.view = { split: 'train', index: 0 };
  const ds = state.dataset;
  $('scene').value = given ? '' : state.scene;
  $('seed').disabled = given;
  $('new-seed').disabled = given;
  $('scene-description').textContent = given ? '' : $('scene').selectedOptions[0]?.dataset.description ?? '';
  const origin = given ? `your images, trained at up to ${state.trainSide} px` : `seed ${state.sceneSeed}`;
  setStatus(`${ds.count('train')} training and ${ds.count('heldout')} held-out images, `
    + `${percent(ds.foregroundFractionAll())} object pixels overall (${origin}).`
    + (given && ds.count('heldout') === 0 ? ' No image is held out, so the summary scores nothing yet: tick "held out" on one.' : ''));
  drawSamples();
  drawHead();
  $('full-view-open').hidden = !given;
  return true;
}

/** The name of image `index` of `split` (a given image's file name, or its place in the scene). */
function imageName(split, index) {
  if (state.source === 'given') {
    const items = state.uploads.items.filter((item) => item.heldout === (split === 'heldout'));
    if (items[index]) return items[index].name;
  }
  return `${split === 'train' ? 'Training' : 'Held-out'} image ${index + 1}`;
}

/** Shows the current image at the size it was uploaded (up to 1024 px) with each run's prediction on it. */
function showFullResolution() {
  const { split, index } = state.view;
  const item = state.uploads.items.filter((i) => i.heldout === (split === 'heldout'))[index];
  if (!item) return;
  const box = $('full-view-figures');
  box.replaceChildren();
  const figure = (caption, rgba) => {
    const f = document.createElement('figure');
    const canvas = document.createElement('canvas');
    drawRgba(canvas, rgba, item.width, item.height);
    const c = document.createElement('figcaption');
    c.textContent = caption;
    f.append(canvas, c);
    box.append(f);
  };
  figure(`${item.name}, ${item.width}×${item.height}`, new Uint8ClampedArray(item.rgba));
  const asked = state.pool.runs.filter((run) => !['starting', 'error'].includes(run.status)).length;
  let answered = 0;
  $('full-view-title').textContent = `${item.name} at ${item.width}×${item.height}`;
  $('full-view-status').textContent = asked === 0 ? 'No run is ready yet.' : `Predicting with ${asked} runs…`;
  state.pool.predictFull(item, state.threshold, (run, result) => {
    answered += 1;
    figure(`${run.spec} at step ${run.step}: mask at threshold ${state.threshold.toFixed(2)}`, result.mask);
    $('full-view-status').textContent = answered < asked ? `Predicting: ${answered} of ${asked} runs done…`
      : `Each run's mask on the image at ${item.width}×${item.height}; the runs trained at up to ${state.trainSide} px, `
        + 'so objects look larger to them here than in training.';
  });
  $('full-view').showModal();
}

/** Encodes the user's images for training and for links; false (with a message) when the engine refuses. */
function encodeGiven() {
  const builder = new state.engine.api.GivenBuilder();
  try {
    for (const item of state.uploads.items) {
      builder.add(item.rgba, item.width, item.height, item.mask, state.trainSide, item.heldout);
    }
    const linkSide = Math.min(state.linkSide, state.trainSide);
    state.givenData = { train: builder.data(state.trainSide), link: builder.data(linkSide),
      linkShortestSide: builder.shortestSide(linkSide) };
    return true;
  } catch (error) {
    setStatus(`Your images could not be used: ${error.message}`, true);
    return false;
  } finally {
    builder.free();
  }
}

function showGivenCount() {
  const count = state.uploads.items.length;
  $('given-option').disabled = count === 0;
  $('given-option').textContent = count === 0 ? 'Your images (add some below)' : `Your images (${count})`;
}

/** After the user's images change: train on them (or, when none are left, on the demo scene). */
function useGiven() {
  showGivenCount();
  state.source = state.uploads.items.length > 0 ? 'given' : 'demo';
  if (state.source === 'given' && !encodeGiven()) return;
  if (generateDataset()) applySettings();
}

function drawHead() {
  const { dataset: ds } = state;
  const { split, index } = state.view;
  const w = ds.width(split, index);
  const h = ds.height(split, index);
  drawRgba($('image-canvas'), ds.imageRgba(split, index), w, h);
  drawRgba($('mask-canvas'), ds.maskRgba(split, index), w, h);
  const seed = state.source === 'given' ? '' : `, seed ${state.sceneSeed}`;
  $('image-caption').textContent = `${imageName(split, index)}, ${w}×${h}${seed}`;
  const fraction = ds.foregroundFraction(split, index);
  $('mask-caption').textContent = `Ground truth: ${percent(fraction)} object`;
  for (const button of $('samples').querySelectorAll('button')) {
    const current = button.dataset.split === split && Number(button.dataset.index) === index;
    button.setAttribute('aria-pressed', String(current));
  }
  state.explorer?.setFraction(Math.max(fraction, 0.001));
}

function drawSamples() {
  const box = $('samples');
  box.replaceChildren();
  for (const split of ['train', 'heldout']) {
    const label = document.createElement('span');
    label.className = 'split-label';
    label.textContent = split === 'train' ? 'Training' : 'Held-out';
    box.append(label);
    for (let i = 0; i < state.dataset.count(split); i++) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.split = split;
      button.dataset.index = String(i);
      button.setAttribute('aria-label', `${label.textContent}: ${imageName(split, i)}`);
      const thumb = document.createElement('canvas');
      drawRgba(thumb, state.dataset.imageRgba(split, i), state.dataset.width(split, i), state.dataset.height(split, i));
      button.append(thumb);
      button.addEventListener('click', () => {
        state.view = { split, index: i };
        drawHead();
        state.pool.view(state.view, state.threshold);
      });
      box.append(button);
    }
  }
}

function readSeed() {
  const value = Number($('seed').value);
  if (!Number.isInteger(value) || value < 0 || value > 999999) {
    setStatus('The seed must be a whole number from 0 to 999999.', true);
    return false;
  }
  state.seed = value;
  state.sceneSeed = value;
  return true;
}

// ---- losses ---------------------------------------------------------------------------------------

function renderLossList() {
  const list = $('loss-list');
  list.replaceChildren();
  state.losses.forEach((spec, i) => {
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
    remove.disabled = state.losses.length === 1;
    remove.addEventListener('click', () => {
      const previous = [...state.losses];
      state.losses.splice(i, 1);
      if (!applySettings()) state.losses = previous;
      renderLossList();
    });
    item.append(swatch, code, remove);
    list.append(item);
  });
  $('add-loss').disabled = state.losses.length >= MAX_RUNS;
}

function addLoss() {
  const spec = $('loss-spec').value.trim();
  if (!spec) return;
  if (state.losses.length >= MAX_RUNS) {
    showSettingsError(`At most ${MAX_RUNS} losses at once: this machine trains one per worker.`);
    return;
  }
  state.losses.push(spec);
  if (!applySettings()) {
    state.losses.pop();
    return;
  }
  renderLossList();
}

// ---- experiment -------------------------------------------------------------------------------------

function showSettingsError(message) {
  $('settings-error').textContent = message;
}

/** The page's settings as toQuery takes them (without the images). */
function experimentSettings() {
  return { scene: state.scene, seed: state.seed, sceneSeed: state.sceneSeed, losses: state.losses,
    model: readModelControls(), extras: state.extras };
}

/** Validates the settings in the engine and, if they changed the experiment, restarts the runs from step 0. */
function applySettings() {
  const { api } = state.engine;
  const given = state.source === 'given';
  const settings = experimentSettings();
  let normalized;
  try {
    normalized = api.normalizeExperiment(toQuery({ ...settings, data: given ? state.givenData.train : null }), 'file');
  } catch (error) {
    showSettingsError(error.message);
    return false;
  }
  showSettingsError(normalized.notes.join(' '));
  writeModelControls(normalized.settings);
  const changed = normalized.query !== state.query;
  state.query = normalized.query;
  updateLink();
  renderShapes($('shapes'), api.modelShapes(state.query));
  if (changed || state.pool.runs.length === 0) resetRuns();
  state.keras.show(state.query, state.losses, state.dataset);
  return true;
}

/** A link also carries the display threshold, which is not part of the runs. */
function withView(query) {
  return state.threshold === 0.5 ? query : `${query}&thr=${state.threshold.toFixed(2)}`;
}

function showThreshold() {
  $('threshold').value = String(state.threshold);
  $('threshold-value').textContent = state.threshold.toFixed(2);
}

/** The share link: the experiment itself, or with the user's images at the link's size. */
function updateLink() {
  if (state.source !== 'given') {
    state.share.show(withView(state.query), null);
    return;
  }
  const { model, ...rest } = experimentSettings();
  // Copies smaller than the training crops are trained on crops as large as they allow.
  const patch = model.patch > state.givenData.linkShortestSide && state.givenData.linkShortestSide >= 8
    ? state.givenData.linkShortestSide : model.patch;
  const settings = { ...rest, model: { ...model, patch }, data: state.givenData.link };
  const images = { linkSide: Math.min(state.linkSide, state.trainSide), trainSide: state.trainSide,
    differs: state.givenData.link !== state.givenData.train, problem: '',
    patch: patch === model.patch ? null : patch };
  state.linkPatch = patch;
  try {
    state.share.show(withView(state.engine.api.normalizeExperiment(toQuery(settings), 'link').query), images);
  } catch (error) {
    state.share.show(null, { ...images, problem: error.message });
  }
}

function resetRuns() {
  const steps = Number($('steps').value);
  state.pool.start({ query: state.query, specs: state.losses, total: steps,
    evalEvery: Math.max(20, Math.round(steps / 25)), view: state.view, threshold: state.threshold });
  state.grid.reset(state.pool.runs);
  state.charts.reset(state.pool.runs);
  state.summary.render(state.pool.runs);
  updateControls();
}

function updateControls() {
  const runs = state.pool.runs;
  const training = state.pool.training;
  const canTrain = runs.some((r) => ['starting', 'ready', 'paused'].includes(r.status) && r.step < r.total);
  $('train').disabled = training || !canTrain;
  $('pause').disabled = !training;
  $('step').disabled = training || !canTrain;
  $('reset').disabled = runs.length === 0;
  const done = runs.filter((r) => ['finished', 'diverged', 'error'].includes(r.status)).length;
  const stepsDone = runs.reduce((sum, r) => sum + r.step, 0);
  const stepsAll = runs.reduce((sum, r) => sum + r.total, 0);
  $('progress').textContent = runs.length === 0 ? ''
    : `${training ? 'Training' : done === runs.length ? 'Done' : 'Ready'}: ${stepsDone}/${stepsAll} steps over ${runs.length} runs`;
  document.body.dataset.training = String(training);
  document.body.dataset.finished = String(runs.length > 0 && done === runs.length);
}

// Coalesces worker messages into one redraw per animation frame, and while training into at most
// one per REDRAW_MS: fewer frames leave more CPU to the workers and keep every frame short.
const REDRAW_MS = 100;

function onRunChange(run, type) {
  for (const changed of run ? [run] : state.pool.runs) state.dirty.add(changed);
  if (type === 'metrics' || type === 'finished' || type === 'diverged') state.dirty.summary = true;
  if (state.frame) return;
  const wait = state.pool.training ? Math.max(0, state.lastRedraw + REDRAW_MS - performance.now()) : 0;
  state.frame = setTimeout(() => requestAnimationFrame(redraw), wait);
}

function redraw(now) {
  state.frame = 0;
  state.lastRedraw = now;
  for (const run of state.dirty) state.grid.update(run);
  state.dirty.clear();
  // While training, one chart per half second: redrawing a chart is the costliest thing the page
  // does, and the workers leave the main thread little CPU on a small machine.
  if (!state.pool.training) {
    state.charts.update(state.pool.runs);
  } else if (now - state.lastChart > 500) {
    state.lastChart = now;
    state.nextChart = 1 - state.nextChart;
    state.charts.update(state.pool.runs, state.nextChart);
  }
  if (state.dirty.summary) {
    state.dirty.summary = false;
    state.summary.render(state.pool.runs);
  }
  updateControls();
  state.keras.update();
}

// ---- links ------------------------------------------------------------------------------------------

// The page opens on the classic question rather than the engine's longer default list of losses.
const defaultQuery = () => `v=1&demo=cells&losses=${PRESETS[0].losses.map(encodeURIComponent).join(';')}`;

/** Restores every setting from a link's query (the defaults for an empty one) and restarts the runs. */
function openLink(query) {
  const { api } = state.engine;
  let normalized;
  let problem = '';
  try {
    normalized = api.normalizeExperiment(query || defaultQuery(), 'link');
  } catch (error) {
    problem = `This link could not be read (${error.message}); the default experiment is loaded instead.`;
    normalized = api.normalizeExperiment(defaultQuery(), 'link');
  }
  restore(normalized, 'link');
  if (problem) {
    showSettingsError(problem);
    setStatus(problem, true);
  }
}

/** Puts a validated experiment ({ query, settings, notes }) on the page: controls, images, runs. */
function restore({ query, settings, notes }, from) {
  const { api } = state.engine;
  state.seed = Number(settings.seed);
  state.losses = settings.losses.split(';');
  state.extras = { momentum: settings.momentum, aug: settings.aug };
  state.threshold = Math.round(Number(settings.thr) * 100) / 100;
  showThreshold();
  if (settings.data === 'given') {
    const images = api.givenImages(query);
    // Their size is the one they were shared at: train and share them as they are.
    const longest = Math.max(...images.map((image) => Math.max(image.width, image.height)));
    state.trainSide = Math.max(256, longest);
    state.linkSide = Math.min(256, Math.max(64, longest));
    state.uploads.setFromEngine(images);
    $('train-side').value = String(state.trainSide);
    $('link-side').value = String(state.linkSide);
    showGivenCount();
    state.source = 'given';
    encodeGiven();
  } else {
    state.source = 'demo';
    state.scene = settings.demo;
    state.sceneSeed = Number(settings.scene_seed);
    $('seed').value = String(state.sceneSeed);
  }
  writeModelControls(settings);
  renderLossList();
  if (generateDataset()) applySettings();
  showSettingsError(notes.map((note) => `From the ${from}: ${note}.`).join(' '));
}

/** Opens an experiment file's query; a bad file leaves the page as it was. */
function openExperiment(query) {
  let normalized;
  try {
    normalized = state.engine.api.normalizeExperiment(query, 'file');
  } catch (error) {
    return `This experiment file could not be read (${error.message}); nothing was changed.`;
  }
  restore(normalized, 'file');
  return '';
}

// ---- wiring -----------------------------------------------------------------------------------------

function wireControls() {
  const { api } = state.engine;
  $('scene').addEventListener('change', () => {
    if ($('scene').value === '') {
      useGiven();
      return;
    }
    state.scene = $('scene').value;
    state.source = 'demo';
    if (generateDataset()) applySettings();
  });
  const side = (id, low, high, apply) => $(id).addEventListener('change', () => {
    const value = Number($(id).value);
    if (!Number.isInteger(value) || value < low || value > high) {
      $('upload-message').textContent = `The size must be a whole number of pixels from ${low} to ${high}.`;
      $('upload-message').classList.add('error');
      return;
    }
    apply(value);
  });
  side('train-side', 16, 1024, (value) => {
    state.trainSide = value;
    state.uploads.render();
    if (state.source === 'given') useGiven();
  });
  side('link-side', 16, 256, (value) => {
    state.linkSide = value;
    if (state.source === 'given' && encodeGiven()) updateLink();
  });
  $('full-view-open').addEventListener('click', showFullResolution);
  $('full-view-close').addEventListener('click', () => $('full-view').close());
  $('train-link-copies').addEventListener('click', () => {
    state.trainSide = Math.min(state.linkSide, state.trainSide);
    $('train-side').value = String(state.trainSide);
    $('patch').value = String(state.linkPatch);
    useGiven();
  });
  $('seed').addEventListener('change', () => { if (readSeed() && generateDataset()) applySettings(); });
  $('new-seed').addEventListener('click', () => {
    $('seed').value = String(api.randomSeed());
    if (readSeed() && generateDataset()) applySettings();
  });
  for (const preset of PRESETS) $('preset').add(new Option(preset.title, preset.id));
  $('preset').addEventListener('change', () => {
    const previous = state.losses;
    state.losses = [...PRESETS.find((p) => p.id === $('preset').value).losses];
    if (!applySettings()) state.losses = previous;
    renderLossList();
  });
  for (const entry of api.lossCatalogue()) $('loss-pick').add(new Option(`${entry.name} — ${entry.title}`, entry.name));
  const pickLoss = () => { $('loss-spec').value = $('loss-pick').value; };
  $('loss-pick').addEventListener('change', pickLoss);
  pickLoss();
  $('add-loss').addEventListener('click', addLoss);
  $('loss-spec').addEventListener('keydown', (event) => { if (event.key === 'Enter') addLoss(); });
  for (const id of ['layers', 'channels', 'kernel', 'dilations', 'head', 'optimizer', 'lr', 'batch', 'patch', 'steps']) {
    $(id).addEventListener('change', applySettings);
  }
  $('threshold').addEventListener('change', updateLink);
  $('threshold').addEventListener('input', () => {
    state.threshold = Number($('threshold').value);
    showThreshold();
    state.pool.view(state.view, state.threshold);
  });
  $('train').addEventListener('click', () => state.pool.train());
  $('pause').addEventListener('click', () => state.pool.pause());
  $('step').addEventListener('click', () => state.pool.step(1));
  $('reset').addEventListener('click', resetRuns);
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest('input:not([readonly]), select, textarea, dialog')) return;
    const button = { t: 'train', p: 'pause', s: 'step', r: 'reset' }[event.key.toLowerCase()];
    if (button && !$(button).disabled) {
      event.preventDefault();
      $(button).click();
    }
  });
}

async function start() {
  try {
    state.engine = await loadEngine();
  } catch (error) {
    setStatus(`This browser could not start the WebAssembly engine: ${error.message}`, true);
    return;
  }
  const { api } = state.engine;
  showBuildInfo(state.engine);
  state.pool = new RunPool(state.engine, onRunChange);
  state.grid = new ResultsGrid($('grid'));
  state.charts = new Charts($('loss-chart'), $('dice-chart'));
  state.summary = new SummaryTable($('summary'));
  state.explorer = new LossExplorer($('explorer-loss'), $('explorer'), api);
  state.keras = new KerasPanel(api, () => state.pool.runs);
  fillScenePicker(api);
  wireControls();
  renderLossList();
  state.share = new SharePanel(openLink);
  const painter = new Painter(api);
  state.uploads = new UploadPanel(state.engine, { onChange: useGiven, paint: (item) => painter.open(item),
    trainSide: () => state.trainSide });
  new ExperimentFile({ query: () => state.query, open: openExperiment });
  openLink(linkQuery());
  document.body.dataset.ready = 'true';
}

start();
