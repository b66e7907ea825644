// The in-browser benchmark (issue 8): ours (simd128 and portable builds) and peers train the same network
// from the same data and initial weights, interleaved one step each per round in this one page; medians
// of the rounds after warm-up. scripts/bench-run.mjs drives `window.segbench` in headless Chromium.

import { measurePeak } from './bench-peak.js';
import { jaxTrainer, tfjsTrainer } from './bench-peers.js';

/** W1 and W3 as issue 8 defines them; W2 is the page's default experiment (demo scene, 4 × 32×32 crops). */
export const WORKLOADS = {
  W1: { n: 4, h: 128, w: 128 },
  W2: { n: 4, h: 32, w: 32, pageDefault: true },
  W3: { n: 1, h: 256, w: 256 },
};
const CHANNELS = 32,
  KERNEL = 3;

/** FLOPs of one step, counted as ModelConfig::flops_per_step does (2 per multiply-add, padding included). */
export function flopsPerStep({ n, h, w }) {
  const layers = [KERNEL * KERNEL * 3 * CHANNELS, KERNEL * KERNEL * CHANNELS * CHANNELS, CHANNELS];
  const forward = layers.reduce((a, b) => a + b, 0);
  return 2 * n * h * w * (2 * forward + forward - layers[0]);
}

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded images (uniform noise) with a centred disc as the mask: RGBA and 0/1 mask bytes for ours, floats for peers. */
export function makeData({ n, h, w }, seed = 2) {
  const random = mulberry32(seed);
  const images = [],
    x = new Float32Array(n * h * w * 3),
    y = new Float32Array(n * h * w);
  for (let b = 0; b < n; b++) {
    const rgba = new Uint8ClampedArray(h * w * 4),
      mask = new Uint8Array(h * w);
    const r2 = (0.23 * Math.min(h, w)) ** 2;
    for (let i = 0; i < h * w; i++) {
      for (let c = 0; c < 3; c++) {
        rgba[i * 4 + c] = Math.floor(random() * 256);
        x[(b * h * w + i) * 3 + c] = rgba[i * 4 + c] / 255;
      }
      rgba[i * 4 + 3] = 255;
      const dy = Math.floor(i / w) - h / 2,
        dx = (i % w) - w / 2;
      const inside = dy * dy + dx * dx < r2 ? 1 : 0;
      mask[i] = inside;
      y[b * h * w + i] = inside;
    }
    images.push({ rgba, mask });
  }
  return { n, h, w, images, x, y };
}

/** He-uniform HWIO weights and zero biases for 3→C→C→1, seeded. */
export function makeWeights(seed = 1) {
  const random = mulberry32(seed);
  return [
    [KERNEL, KERNEL, 3, CHANNELS],
    [KERNEL, KERNEL, CHANNELS, CHANNELS],
    [1, 1, CHANNELS, 1],
  ].map((shape) => {
    const fanIn = shape[0] * shape[1] * shape[2],
      limit = Math.sqrt(6 / fanIn);
    const weight = Float32Array.from({ length: fanIn * shape[3] }, () => (random() * 2 - 1) * limit);
    return { shape, weight, bias: new Float32Array(shape[3]) };
  });
}

const glue = {};
async function engine(flavour) {
  if (!glue[flavour]) {
    const api = await import(`../pkg/${flavour}/segloss.js`);
    await api.default();
    glue[flavour] = api;
  }
  return glue[flavour];
}

/** The link's `data=` value for `data`: every image for training, and the first again held out. */
function oursData(api, data) {
  const builder = new api.GivenBuilder();
  try {
    const side = Math.max(data.h, data.w);
    for (const { rgba, mask } of data.images) builder.add(rgba, data.w, data.h, mask, side, false);
    const { rgba, mask } = data.images[0];
    builder.add(rgba, data.w, data.h, mask, side, true);
    return builder.data(side);
  } finally {
    builder.free();
  }
}

/** Our experiment query for a workload: the page default for W2, else whole images of `data` in batches of n. */
export function oursQuery(api, workload, data) {
  if (workload.pageDefault) return 'v=1';
  return `v=1&losses=0.5*bce+0.5*dice&batch=${workload.n}&patch=0&aug=0&data=${oursData(api, data)}`;
}

async function oursTrainer(flavour, workload, data) {
  const api = await engine(flavour);
  const run = new api.Run(oursQuery(api, workload, data), 0);
  return { kernel: api.kernelName(), async activate() {}, step: () => run.step(1).loss };
}

export const FRAMEWORKS = {
  'ours-simd128': (wl, data) => oursTrainer('simd128', wl, data),
  'ours-portable': (wl, data) => oursTrainer('portable', wl, data),
  'tfjs-cpu': (_wl, data, init) => tfjsTrainer('cpu', data, init),
  'tfjs-webgl': (_wl, data, init) => tfjsTrainer('webgl', data, init),
  'jax-js-wasm': (_wl, data, init) => jaxTrainer('wasm', data, init),
  'jax-js-webgl': (_wl, data, init) => jaxTrainer('webgl', data, init),
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Trains every framework on `name`: `warmup` steps each (`peerWarmup` for peers), then rounds of one timed step each (A B C A B C…)
 * until each has `rounds` samples or, for slow ones, `minRounds` samples and `budgetMs` spent.
 */
export async function benchWorkload(
  name,
  {
    frameworks = Object.keys(FRAMEWORKS),
    warmup = 2,
    peerWarmup = warmup,
    rounds = 7,
    minRounds = 3,
    budgetMs = 20000,
  } = {},
) {
  const workload = WORKLOADS[name];
  const data = makeData(workload),
    init = makeWeights();
  const flops = flopsPerStep(workload);
  const entries = [];
  for (const id of frameworks) {
    const entry = { id, samples: [], losses: [] };
    try {
      // "ours:<flavour>" trains the build in pkg/<flavour>/: A/B runs of kernel changes.
      const make = FRAMEWORKS[id] ?? (id.startsWith('ours:') && ((wl, d) => oursTrainer(id.slice(5), wl, d)));
      if (!make) throw new Error(`unknown framework ${id}`);
      entry.trainer = await make(workload, data, init);
      const steps = id.startsWith('ours') ? warmup : peerWarmup;
      for (let i = 0; i < steps; i++) {
        await entry.trainer.activate();
        entry.losses.push(await entry.trainer.step());
      }
    } catch (error) {
      entry.error = String(error?.message ?? error);
      entry.trainer = null;
    }
    entries.push(entry);
  }
  for (let round = 0; round < rounds; round++) {
    for (const entry of entries) {
      if (!entry.trainer) continue;
      const spent = entry.samples.reduce((a, b) => a + b, 0);
      if (entry.samples.length >= minRounds && spent > budgetMs) continue;
      try {
        await entry.trainer.activate();
        const started = performance.now();
        entry.losses.push(await entry.trainer.step());
        entry.samples.push(performance.now() - started);
      } catch (error) {
        entry.error = String(error?.message ?? error);
        entry.trainer = null;
      }
    }
  }
  return {
    workload: name,
    ...workload,
    flopsPerStep: flops,
    results: entries.map(({ id, samples, losses, error, trainer }) => {
      const ms = samples.length ? median(samples) : null;
      return {
        id,
        msPerStep: ms,
        gflops: ms ? flops / ms / 1e6 : null,
        samples: samples.map((s) => +s.toFixed(2)),
        firstLoss: losses[0],
        lastLoss: losses[losses.length - 1],
        kernel: trainer?.kernel,
        error,
      };
    }),
  };
}

/** 1, 2, 4… runs of ours at once, each in its own worker: steps/s each and in total over `seconds`. */
export async function benchScaling(name, counts = [1, 2, 4], { seconds = 6, flavour = 'simd128' } = {}) {
  const workload = WORKLOADS[name];
  const data = makeData(workload);
  const module = await WebAssembly.compileStreaming(fetch(`pkg/${flavour}/segloss_bg.wasm`));
  const glueUrl = new URL(`pkg/${flavour}/segloss.js`, location.href).href;
  const query = oursQuery(await engine(flavour), workload, data);
  const out = [];
  for (const count of counts) {
    const workers = Array.from({ length: count }, () => new Worker('js/bench-worker.js', { type: 'module' }));
    const results = await Promise.all(
      workers.map(
        (worker) =>
          new Promise((resolve, reject) => {
            worker.onmessage = ({ data: m }) => (m.error ? reject(new Error(m.error)) : resolve(m));
            worker.onerror = (e) => reject(new Error(e.message));
            worker.postMessage({ module, glueUrl, query, seconds });
          }),
      ),
    );
    for (const worker of workers) worker.terminate();
    const each = results.map((r) => r.steps / r.seconds);
    out.push({
      runs: count,
      stepsPerSecondEach: each.map((s) => +s.toFixed(3)),
      stepsPerSecondTotal: +each.reduce((a, b) => a + b, 0).toFixed(3),
    });
  }
  return { workload: name, flavour, seconds, scaling: out };
}

/** Browser and renderer facts that belong next to the numbers. */
export function environment() {
  const gl =
    document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  let renderer = null;
  if (gl) {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  }
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    webglRenderer: renderer,
    tfjsVersion: globalThis.tf?.version?.tfjs ?? null,
  };
}

window.segbench = { environment, measurePeak, benchWorkload, benchScaling, flopsPerStep, WORKLOADS };
document.body.dataset.ready = 'true';

if (new URLSearchParams(location.search).has('run')) {
  benchWorkload('W2', { rounds: 3 }).then((r) => {
    document.getElementById('out').textContent = JSON.stringify(r, null, 2);
  });
}
