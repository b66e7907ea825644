// One of the concurrent runs of the scaling benchmark: its own wasm instance (module compiled once by
// the page), trains for `seconds` and reports how many steps it took.
self.onmessage = async ({ data: { module, glueUrl, query, seconds } }) => {
  try {
    const api = await import(glueUrl);
    await api.default({ module_or_path: module });
    const run = new api.Run(query, 0);
    run.step(1); // warm-up
    const started = performance.now();
    let steps = 0;
    while (performance.now() - started < seconds * 1000) {
      run.step(1);
      steps += 1;
    }
    self.postMessage({ steps, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
