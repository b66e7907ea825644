// The page's entry point: loads the engine and wires the rooms together. The page's state (state.js)
// announces what changed; this file hands each change to the panels that show it, and restarts the
// study's runs (runs.js: every loss at every seed, spread over a few workers) when the experiment
// changed. The main thread only draws, and asks the engine for the study's statistics (study.js).

import { Charts } from './charts.js';
import { Controls } from './controls.js';
import { DataPanel } from './data-panel.js';
import { loadEngine } from './engine.js';
import { EvidenceCharts } from './evidence-charts.js';
import { EvidencePanel } from './evidence-panel.js';
import { ExperimentFile } from './experiment-file.js';
import { LossExplorer } from './explorer.js';
import { FullView } from './full-view.js';
import { ImbalancePanel } from './imbalance.js';
import { KerasPanel } from './keras.js';
import { LossesPanel } from './losses-panel.js';
import { ModelPanel } from './model-panel.js';
import { Notices } from './notices.js';
import { Painter } from './painter.js';
import { RedrawLoop } from './redraw.js';
import { ResultsGrid } from './results.js';
import { RunPool } from './runs.js';
import { Schema } from './schema.js';
import { labelScores } from './scored.js';
import { renderShapes } from './shapes.js';
import { SharePanel } from './share.js';
import { PageState } from './state.js';
import { StudyResults } from './study.js';
import { SummaryTable } from './summary.js';
import { UploadPanel } from './uploads.js';

const $ = (id) => document.getElementById(id);

function showBuildInfo({ api, simd, flavour }) {
  const simdText = simd ? 'wasm SIMD on' : flavour === 'portable' ? 'wasm SIMD off (portable build)' : '';
  $('build-info').textContent = `segloss ${api.version()} · kernel ${api.kernelName()} · ${simdText}`;
  document.body.dataset.kernel = api.kernelName();
}

/** Starts the runs of the state's experiment from step 0 (evaluated about 25 times, at most every 20 steps). */
function restart(state, pool, views) {
  const total = Number(state.settings.steps);
  const evalEvery = Math.max(20, Math.round(total / 25));
  pool.start({
    query: state.query,
    specs: state.losses,
    total,
    evalEvery,
    view: state.view,
    threshold: state.threshold,
  });
  views.controls.render(pool);
}

async function start() {
  let engine;
  try {
    engine = await loadEngine();
  } catch (error) {
    $('status').textContent = `The WebAssembly engine could not start: ${error.message}`;
    $('status').classList.add('error');
    return;
  }
  const { api } = engine;
  showBuildInfo(engine);
  const state = new PageState(api, new Schema(api));
  const pool = new RunPool(engine, (run, type) => loop.changed(run, type));
  const views = {
    controls: new Controls({
      train: () => pool.train(),
      pause: () => pool.pause(),
      step: () => pool.step(1),
      reset: () => restart(state, pool, views),
    }),
    grid: new ResultsGrid(
      state,
      () => fullView.open(),
      (seedIndex) => pool.showSeed(seedIndex),
    ),
    charts: new Charts($('loss-chart'), $('dice-chart')),
    summary: new SummaryTable($('summary')),
    keras: new KerasPanel(state, pool),
    study: new StudyResults(api),
    evidenceCharts: new EvidenceCharts(),
  };
  views.evidence = new EvidencePanel(views.study);
  const loop = new RedrawLoop(pool, views, () => state.dataset);
  const fullView = new FullView(state, pool);
  const notices = new Notices(() => state.notify([]));
  const data = new DataPanel(state);
  const imbalance = new ImbalancePanel(state);
  const painter = new Painter(api);
  const uploads = new UploadPanel(engine, state, (item) => painter.open(item));
  const losses = new LossesPanel(state);
  const model = new ModelPanel(state);
  const share = new SharePanel(state);
  const explorer = new LossExplorer($('explorer-loss'), $('explorer'), api);
  new ExperimentFile({
    query: () => state.query,
    open: (query) => state.open(query, 'file'),
    refuse: (text) => state.notify([{ text, error: true }]),
    maxQuery: state.schema.limits.fileMaxLen,
  });

  state.addEventListener('change', ({ detail: changed, defer }) => {
    if (changed.has('settings')) {
      losses.render();
      model.render();
    }
    if (changed.has('images')) uploads.show(state.images);
    if (changed.has('settings') || changed.has('images') || changed.has('data')) data.render();
    if (changed.has('data')) {
      defer(() => {
        views.grid.showData();
        labelScores(state.dataset);
      });
      defer(() => imbalance.render());
    }
    if (changed.has('runs')) {
      defer(() => restart(state, pool, views));
      defer(() => renderShapes($('shapes'), api.modelShapes(state.query)));
    } else if (changed.has('view') || changed.has('threshold')) {
      pool.view(state.view, state.threshold);
    }
    if (changed.has('view')) {
      // After the dataset's images are shown (deferred work runs in order).
      defer(() => {
        views.grid.showView();
        const { split, index } = state.view;
        explorer.setFraction(Math.max(state.dataset.foregroundFraction(split, index), 0.001));
      });
    }
    if (changed.has('threshold')) views.grid.showThreshold();
    if (changed.has('runs') || changed.has('data')) defer(() => views.keras.show());
    if (changed.has('link')) share.render();
    if (changed.has('notices')) notices.render(state.notices);
  });
  state.open(location.hash.slice(1), 'link');
  document.body.dataset.ready = 'true';
}

start();
