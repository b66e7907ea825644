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
  const p = r.peak.simd128;
  const old = p.sweep?.find((x) => x.chains === 12 && x.unroll === 2);
  push(
    '### Peak (wasm mul+add, independent accumulators, no memory)',
    '',
    `The best of ${p.sweep?.length ?? 1} configurations (8–16 chains × unroll 2–8, www/js/bench-peak.js), measured ${r.interleaved?.reps.length ?? 1} times interleaved with W1 and W2; the fastest call counts.`,
    '',
    '| flavour | GFLOP/s (best) | winning configuration | GFLOP/s (median of its calls) | 12 chains × 2 unroll (the old peak), best in the sweep | loadavg before → after |',
    '|---|---:|---|---:|---:|---|',
    `| simd128 f32x4 | ${f(p.gflops, 2)} | ${p.chains} chains × ${p.unroll} unroll | ${f(p.median, 2)} | ${f(old?.gflops, 2)} | ${r.peak.loadavg[0].join(' ')} → ${r.peak.loadavg[1].join(' ')} |`,
    `| scalar f32 (portable's ceiling) | ${f(r.peak.scalar.gflops, 2)} | ${r.peak.scalar.chains} chains × ${r.peak.scalar.unroll} unroll | ${f(r.peak.scalar.median, 2)} | | |`,
    '',
  );
  if (r.interleaved) {
    push(
      '### Ours against the peak, interleaved',
      '',
      "Each repetition: the peak, then W1 (9 timed steps) and W2 (31 timed steps) of ours-simd128 in the same page; a workload's figure is the median of its steps; the best repetition of each side counts.",
      '',
      '| repetition | peak GFLOP/s (configuration) | W1 ms/step | W1 of this peak | W2 ms/step | W2 of this peak | loadavg after |',
      '|---:|---|---:|---:|---:|---:|---|',
    );
    r.interleaved.reps.forEach((x, i) => {
      const of = (w) => (w ? pct(w.gflops / x.peak.gflops) : '—');
      push(
        `| ${i + 1} | ${f(x.peak.gflops, 2)} (${x.peak.chains} × ${x.peak.unroll}) | ${f(x.w1?.msPerStep)} | ${of(x.w1)} | ${f(x.w2?.msPerStep, 2)} | ${of(x.w2)} | ${x.loadavg.join(' ')} |`,
      );
    });
    const { w1, w2 } = r.interleaved;
    const line = (name, w) =>
      w
        ? `${name} ${f(w.msPerStep, 2)} ms/step = ${f(w.gflops, 2)} GFLOP/s = **${pct(w.fractionOfPeak)}** of ${f(p.gflops, 2)}`
        : null;
    push('', `Best of each side: ${[line('W1', w1), line('W2', w2)].filter(Boolean).join('; ')}.`, '');
  }
  if (r.parts?.length) {
    push("### Where the time goes (tests/kernel_timing.rs, wasm in Node's V8; fastest and median of its calls)", '');
    for (const text of r.parts) {
      const cells = text.split('|').map((c) => c.trim());
      if (text.includes('fastest ms'))
        push(
          '',
          `| ${cells.join(' | ')} |`,
          `|---|${cells
            .slice(1)
            .map(() => '---:')
            .join('|')}|`,
        );
      else push(`| ${cells.join(' | ')} |`);
    }
    push('');
  }
  if (r.lanes) renderLanes(r.lanes, push);
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
  if (Object.keys(r.native).length) renderNative(r, push);
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

function renderLanes(l, push) {
  push(
    `### Lanes: the page's default experiment trained to the end (scripts/bench-lanes.mjs, ${l.cores} cores)`,
    '',
    'Wall time from the click on Train to the finished page; long tasks and frames are wall time on the main thread, CPU is its own per-task time.',
    '',
    '| condition | losses × seeds × steps | wall s | steps/s | ms/step per lane | long tasks (over 100 ms) | longest task ms | frames p50 / p95 / max ms | task CPU max ms (over 33 ms) | loadavg before → after |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---|',
  );
  for (const x of l.results)
    push(
      `| ${x.name} | ${x.losses} × ${x.seeds} × ${x.steps} | ${f(x.wallS)} | ${f(x.stepsPerS)} | ${f(x.msPerStepPerLane)} | ${x.longTasks.count} (${x.over100}) | ${f(x.longTasks.max, 0)} | ${f(x.frames.p50, 0)} / ${f(x.frames.p95, 0)} / ${f(x.frames.max, 0)} | ${f(x.cpu.max, 0)} (${x.cpuOver33}) | ${x.loadavg[0].join(' ')} → ${x.loadavg[1].join(' ')} |`,
    );
  push(
    '',
    `Projection from the fastest 1-lane run (${f(l.perLaneMsPerStep, 2)} ms per step per lane, evaluation and messages included), if every lane is as fast as one here:`,
    '',
    `| lanes | default experiment, 1 seed | with its ${l.projection[0]?.seeds} seeds |`,
    '|---:|---:|---:|',
  );
  for (const x of l.projection) push(`| ${x.lanes} | ${f(x.oneSeedS)} s | ${f(x.withSeedsS)} s |`);
  push('');
}

function renderNative(r, push) {
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
}
