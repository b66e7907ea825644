// Loads the wasm engine: the simd128 build where the browser validates a wasm SIMD instruction,
// otherwise the portable build. `?simd=off` forces the portable build (to compare, or to test it).

// (module (func (result v128) i32.const 0 i8x16.splat))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11,
]);

export function browserHasWasmSimd() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Resolves to { api, flavour, simd, module } where `module` is the compiled WebAssembly.Module
 *  (posted to workers so each instantiates it without compiling again). */
export async function loadEngine(search = location.search) {
  const forcedOff = new URLSearchParams(search).get('simd') === 'off';
  const simd = !forcedOff && browserHasWasmSimd();
  const flavour = simd ? 'simd128' : 'portable';
  const base = new URL(`../pkg/${flavour}/`, import.meta.url);
  const api = await import(new URL('segloss.js', base).href);
  const module = await compileEngine(new URL('segloss_bg.wasm', base));
  await api.default({ module_or_path: module });
  return { api, flavour, simd, module, glueUrl: new URL('segloss.js', base).href };
}

/** Compiles the engine, turning a host's mistakes into what to fix: browsers compile wasm while it
 *  downloads only when the host sends it as application/wasm, and refuse it otherwise. */
async function compileEngine(url) {
  const response = await fetch(url);
  const file = url.pathname.split('/').slice(-3).join('/');
  if (!response.ok) {
    throw new Error(`the host answered ${response.status} ${response.statusText} for ${file}: is dist/ copied whole?`);
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  if (type !== 'application/wasm') {
    throw new Error(
      `the host sends ${file} as '${type || 'no type'}'; browsers compile WebAssembly as it downloads ` +
        `only when it comes as 'application/wasm'. Configure the web server to send .wasm files as ` +
        `application/wasm (GitHub Pages and scripts/serve.sh do).`,
    );
  }
  return WebAssembly.compileStreaming(response);
}
