// Peak f32 mul+add throughput of this browser's wasm engine: a hand-assembled module whose loop body is
// independent accumulator chains `acc = acc * a + b` (no memory traffic, no FMA), so every kernel can
// report its fraction of what the engine can issue. Two flavours: simd128 (f32x4) and scalar f32, the
// ceilings of the simd128 and portable builds. How many chains and how deep an unroll reach the engine's
// limit depends on its register allocator and the CPU's latencies, so the peak is the best over a grid
// of both (issue 17: 12 chains × 2 unroll under-read it by a quarter); the report names the winner.

/** The configurations tried: every chain count from 8 to 16 with unrolls 2 to 8. */
export const PEAK_GRID = {
  chains: [8, 9, 10, 11, 12, 13, 14, 15, 16],
  unrolls: [2, 3, 4, 5, 6, 7, 8],
};

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const f32 = (x) => [...new Uint8Array(new Float32Array([x]).buffer)];
const section = (id, body) => [id, ...leb(body.length), ...body];

/** Bytes of a module exporting `run(iterations: i32) -> f32`. */
function moduleBytes(simd, chains, unroll) {
  const type = simd ? 0x7b : 0x7d; // v128 or f32 locals
  const splat = simd ? [0xfd, 0x13] : []; // f32x4.splat
  const mul = simd ? [0xfd, ...leb(230)] : [0x94];
  const add = simd ? [0xfd, ...leb(228)] : [0x92];
  const A = chains + 1,
    B = chains + 2; // locals 1..chains are the chains, then a, b
  const code = [];
  for (let i = 1; i <= chains; i++) code.push(0x43, ...f32(1 + i / 64), ...splat, 0x21, i);
  code.push(0x43, ...f32(0.9999), ...splat, 0x21, A, 0x43, ...f32(0.0001), ...splat, 0x21, B);
  code.push(0x03, 0x40); // loop
  for (let u = 0; u < unroll; u++) {
    for (let i = 1; i <= chains; i++) code.push(0x20, i, 0x20, A, ...mul, 0x20, B, ...add, 0x21, i);
  }
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b); // n -= 1; br_if n; end
  code.push(0x20, 1);
  for (let i = 2; i <= chains; i++) code.push(0x20, i, ...add);
  if (simd) code.push(0xfd, 0x1f, 0); // f32x4.extract_lane 0
  code.push(0x0b);
  const body = [1, ...leb(chains + 2), type, ...code];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]),
    ...section(3, [1, 0]),
    ...section(7, [1, 3, ...new TextEncoder().encode('run'), 0, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/** GFLOP/s of `trials` timed calls of about `ms` each (2 FLOP per lane per chain update), sorted. */
async function rates(simd, chains, unroll, trials, ms) {
  const { instance } = await WebAssembly.instantiate(moduleBytes(simd, chains, unroll));
  const run = instance.exports.run;
  const flopsPerIteration = chains * unroll * 2 * (simd ? 4 : 1);
  // Calibrate (and warm up the optimizing tier) on the fastest of three calls: a call the OS
  // preempted would otherwise set a count so small that the timer's granularity inflates the rate.
  let iterations = 1 << 14;
  for (;;) {
    let dt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      run(iterations);
      dt = Math.min(dt, performance.now() - t);
    }
    if (dt > ms / 4) {
      iterations = Math.ceil((iterations * ms) / dt);
      break;
    }
    iterations *= 4;
  }
  const out = [];
  for (let i = 0; i < trials; i++) {
    const t = performance.now();
    run(iterations);
    const dt = (performance.now() - t) / 1e3;
    out.push((iterations * flopsPerIteration) / dt / 1e9);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The peak: every configuration of PEAK_GRID timed briefly (`sweepTrials` calls of `sweepMs`), then the
 * `finalists` fastest again with `trials` calls of `ms`. The peak is the fastest of those long calls (on
 * a shared machine a neighbour only ever slows a call down; the sweep's short calls only rank); returned
 * with its configuration, the median of that configuration's calls, and the sweep's best rate per
 * configuration. Calls are short (25 ms, a thousand times the timer's granularity) because on a loaded
 * machine a long call is always preempted somewhere, and a W2 step is about as short.
 */
export async function measurePeak(
  simd,
  { trials = 15, ms = 25, sweepTrials = 3, sweepMs = 25, finalists = 3, grid = PEAK_GRID } = {},
) {
  const sweep = [];
  for (const chains of grid.chains) {
    for (const unroll of grid.unrolls) {
      const r = await rates(simd, chains, unroll, sweepTrials, sweepMs);
      sweep.push({ chains, unroll, gflops: +r.at(-1).toFixed(2) });
    }
  }
  const ranked = [...sweep].sort((a, b) => b.gflops - a.gflops).slice(0, finalists);
  let best = null;
  for (const { chains, unroll } of ranked) {
    const r = await rates(simd, chains, unroll, trials, ms);
    if (!best || r.at(-1) > best.gflops) best = { gflops: r.at(-1), median: r[r.length >> 1], chains, unroll };
  }
  return { ...best, simd, sweep };
}
