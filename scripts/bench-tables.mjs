// Markdown tables of a scripts/bench-run.mjs report (docs/performance.md between the bench markers).
const f = (x, d = 1) => (x == null ? '—' : x.toFixed(d));
const pct = (x) => (x == null ? '—' : `${(100 * x).toFixed(1)} %`);

export function renderTables(r) {
  const lines = [];
  const push = (...xs) => lines.push(...xs);
  push(
    `Measured ${r.date} with \`${r.command}\` on ${r.machine.cpus} × ${r.machine.cpuModel}.`,
    `\`uptime\` at start: \`${r.machine.uptime}\`.`,
    `Browser: ${r.environment.userAgent}; WebGL renderer: \`${r.environment.webglRenderer}\`; TF.js ${r.environment.tfjsVersion}.`,
    '',
  );
  push(
    '### Peak (wasm mul+add, independent accumulators, no memory)',
    '',
    '| flavour | GFLOP/s (best) | GFLOP/s (median) | loadavg before → after |',
    '|---|---:|---:|---|',
    `| simd128 f32x4 | ${f(r.peak.simd128.gflops, 2)} | ${f(r.peak.simd128.median, 2)} | ${r.peak.loadavg[0].join(' ')} → ${r.peak.loadavg[1].join(' ')} |`,
    `| scalar f32 (portable's ceiling) | ${f(r.peak.scalar.gflops, 2)} | ${f(r.peak.scalar.median, 2)} | |`,
    '',
  );
  for (const w of r.workloads) {
    const ours = w.results.find((x) => x.id === 'ours-simd128');
    push(
      `### ${w.workload}: ${w.n} × ${w.h}×${w.w}, ${(w.flopsPerStep / 1e9).toFixed(3)} GFLOP per step`,
      '',
      `loadavg before → after: ${w.loadavg[0].join(' ')} → ${w.loadavg[1].join(' ')}`,
      '',
      '| framework | ms/step (median) | fastest–slowest step | GFLOP/s | of peak | ours-simd128 is … × faster | steps timed | note |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const x of w.results) {
      const ratio = x.msPerStep && ours?.msPerStep ? x.msPerStep / ours.msPerStep : null;
      const note = x.error
        ? `cannot run: ${x.error.replace(/\|/g, '/').slice(0, 160)}`
        : `loss ${f(x.firstLoss, 4)} → ${f(x.lastLoss, 4)}${x.kernel ? `; kernel ${x.kernel}` : ''}`;
      const spread = x.samples.length ? `${f(Math.min(...x.samples), 0)}–${f(Math.max(...x.samples), 0)}` : '—';
      push(
        `| ${x.id} | ${f(x.msPerStep)} | ${spread} | ${f(x.gflops, 2)} | ${pct(x.fractionOfPeak)} | ${x.id === 'ours-simd128' ? '1' : f(ratio, 2)} | ${x.samples.length} | ${note} |`,
      );
    }
    for (const id of w.skipped ?? [])
      push(
        `| ${id} | not run | | | | | 0 | minutes per step on this workload (see W2); left out to keep the run under half an hour |`,
      );
    push('');
  }
  const s = r.scaling;
  push(
    `### Scaling: ${s.workload}, ours (${s.flavour}), concurrent runs in Web Workers, ${s.seconds} s each`,
    '',
    `loadavg before → after: ${s.loadavg[0].join(' ')} → ${s.loadavg[1].join(' ')}`,
    '',
    '| runs | steps/s each | steps/s total | GFLOP/s total |',
    '|---:|---|---:|---:|',
  );
  const w1 = r.workloads.find((w) => w.workload === s.workload);
  for (const x of s.scaling)
    push(
      `| ${x.runs} | ${x.stepsPerSecondEach.map((v) => v.toFixed(2)).join(', ')} | ${x.stepsPerSecondTotal.toFixed(2)} | ${w1 ? f((x.stepsPerSecondTotal * w1.flopsPerStep) / 1e9, 2) : '—'} |`,
    );
  push('');
  push(
    '### Native (criterion, `cargo bench --features bench --bench kernels`) and wasm/native',
    '',
    '| benchmark | native ms (median) | native GFLOP/s |',
    '|---|---:|---:|',
  );
  for (const [id, x] of Object.entries(r.native).sort()) push(`| ${id} | ${f(x.ms, 3)} | ${f(x.gflops, 2)} |`);
  const step = Object.entries(r.native).find(([id]) => id.startsWith('training'));
  const oursW1 = r.workloads.find((w) => w.workload === 'W1')?.results;
  if (step && oursW1) {
    for (const id of ['ours-simd128', 'ours-portable']) {
      const x = oursW1.find((y) => y.id === id);
      if (x?.msPerStep)
        push(
          '',
          `W1 step, wasm ${id} / native ${step[0]}: ${x.msPerStep.toFixed(1)} ms / ${step[1].ms.toFixed(1)} ms = **${(x.msPerStep / step[1].ms).toFixed(2)}×**`,
        );
    }
  }
  push('');
  push(
    '### Load time',
    '',
    '| build | .wasm raw | .wasm gzip -9 | glue JS raw | glue gzip |',
    '|---|---:|---:|---:|---:|',
  );
  for (const [k, v] of Object.entries(r.sizes))
    push(`| ${k} | ${v.wasmRaw} B | ${v.wasmGzip} B | ${v.glueRaw} B | ${v.glueGzip} B |`);
  push(
    '',
    `Navigation start → page ready (\`body[data-ready]\`, demo drawn) on index.html from localhost, median of ${r.loadTime.cold.length}: ` +
      `cold (new browser context, empty cache) **${f(r.loadTime.coldMs)} ms** (${r.loadTime.cold.join(', ')}), warm reload **${f(r.loadTime.warmMs)} ms** (${r.loadTime.warm.join(', ')}).`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
