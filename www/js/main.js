// The page's entry point: loads the engine, owns the page state, wires the views.
import { loadEngine } from './engine.js';
import { drawRgba } from './canvas.js';

const $ = (id) => document.getElementById(id);
const percent = (x) => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)} %`;

const state = { engine: null, dataset: null, scene: 'cells', seed: 1, split: 'train', index: 0 };

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

function showBuildInfo({ api, simd, flavour }) {
  const simdText = simd ? 'wasm SIMD on' : flavour === 'portable' ? 'wasm SIMD off (portable build)' : '';
  $('build-info').textContent = `segloss ${api.version()} · kernel ${api.kernelName()} · ${simdText}`;
  document.body.dataset.kernel = api.kernelName();
}

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
  try {
    const next = api.Dataset.demo(state.scene, state.seed);
    state.dataset?.free();
    state.dataset = next;
    state.split = 'train';
    state.index = 0;
  } catch (error) {
    setStatus(`Could not generate the scene: ${error.message}`, true);
    return;
  }
  const option = $('scene').selectedOptions[0];
  $('scene-description').textContent = option?.dataset.description ?? '';
  const ds = state.dataset;
  setStatus(`${ds.count('train')} training and ${ds.count('heldout')} held-out images, `
    + `${percent(ds.trainForegroundFraction())} object pixels in training (seed ${state.seed}).`);
  drawSamples();
  drawCurrent();
}

function drawCurrent() {
  const { dataset: ds, split, index } = state;
  const w = ds.width(split, index);
  const h = ds.height(split, index);
  drawRgba($('image-canvas'), ds.imageRgba(split, index), w, h);
  drawRgba($('mask-canvas'), ds.maskRgba(split, index), w, h);
  const name = `${split === 'train' ? 'Training' : 'Held-out'} image ${index + 1}`;
  $('image-caption').textContent = `${name}, ${w}×${h}, seed ${state.seed}`;
  $('mask-caption').textContent = `Ground truth: ${percent(ds.foregroundFraction(split, index))} object`;
  for (const button of $('samples').querySelectorAll('button')) {
    const current = button.dataset.split === split && Number(button.dataset.index) === index;
    button.setAttribute('aria-pressed', String(current));
  }
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
      button.setAttribute('aria-label', `${label.textContent} image ${i + 1}`);
      const thumb = document.createElement('canvas');
      drawRgba(thumb, state.dataset.imageRgba(split, i), state.dataset.width(split, i), state.dataset.height(split, i));
      button.append(thumb);
      button.addEventListener('click', () => { state.split = split; state.index = i; drawCurrent(); });
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
  return true;
}

async function start() {
  try {
    state.engine = await loadEngine();
  } catch (error) {
    setStatus(`This browser could not start the WebAssembly engine: ${error.message}`, true);
    return;
  }
  showBuildInfo(state.engine);
  fillScenePicker(state.engine.api);
  $('scene').addEventListener('change', () => { state.scene = $('scene').value; generateDataset(); });
  $('seed').addEventListener('change', () => { if (readSeed()) generateDataset(); });
  $('new-seed').addEventListener('click', () => {
    $('seed').value = String(state.engine.api.randomSeed());
    if (readSeed()) generateDataset();
  });
  readSeed();
  generateDataset();
  document.body.dataset.ready = 'true';
}

start();
