// Peak f32 mul+add throughput of this browser's wasm engine: a hand-assembled module whose loop body is
// independent accumulator chains `acc = acc * a + b` (no memory traffic, no FMA), so every kernel can
// report its fraction of what the engine can issue. Two flavours: simd128 (f32x4) and scalar f32, the
// ceilings of the simd128 and portable builds.

const CHAINS = 12; // enough independent chains to hide mul+add latency, few enough to stay in registers
const UNROLL = 2; // chain updates per chain per loop iteration

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
function moduleBytes(simd) {
  const type = simd ? 0x7b : 0x7d; // v128 or f32 locals
  const splat = simd ? [0xfd, 0x13] : []; // f32x4.splat
  const mul = simd ? [0xfd, ...leb(230)] : [0x94];
  const add = simd ? [0xfd, ...leb(228)] : [0x92];
  const A = CHAINS + 1,
    B = CHAINS + 2; // locals 1..CHAINS are the chains, then a, b
  const code = [];
  for (let i = 1; i <= CHAINS; i++) code.push(0x43, ...f32(1 + i / 64), ...splat, 0x21, i);
  code.push(0x43, ...f32(0.9999), ...splat, 0x21, A, 0x43, ...f32(0.0001), ...splat, 0x21, B);
  code.push(0x03, 0x40); // loop
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 1; i <= CHAINS; i++) code.push(0x20, i, 0x20, A, ...mul, 0x20, B, ...add, 0x21, i);
  }
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b); // n -= 1; br_if n; end
  code.push(0x20, 1);
  for (let i = 2; i <= CHAINS; i++) code.push(0x20, i, ...add);
  if (simd) code.push(0xfd, 0x1f, 0); // f32x4.extract_lane 0
  code.push(0x0b);
  const body = [1, ...leb(CHAINS + 2), type, ...code];
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

/** Best GFLOP/s over `trials` timed calls of about `ms` each (2 FLOP per lane per chain update). */
export async function measurePeak(simd, { trials = 7, ms = 150 } = {}) {
  const { instance } = await WebAssembly.instantiate(moduleBytes(simd));
  const run = instance.exports.run;
  const flopsPerIteration = CHAINS * UNROLL * 2 * (simd ? 4 : 1);
  let iterations = 1 << 16;
  for (;;) {
    // calibrate (and warm up the optimizing tier)
    const t = performance.now();
    run(iterations);
    const dt = performance.now() - t;
    if (dt > ms / 4) {
      iterations = Math.ceil((iterations * ms) / dt);
      break;
    }
    iterations *= 4;
  }
  const rates = [];
  for (let i = 0; i < trials; i++) {
    const t = performance.now();
    run(iterations);
    const dt = (performance.now() - t) / 1e3;
    rates.push((iterations * flopsPerIteration) / dt / 1e9);
  }
  rates.sort((a, b) => a - b);
  return { gflops: rates[rates.length - 1], median: rates[rates.length >> 1], chains: CHAINS, simd };
}
