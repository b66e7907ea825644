#!/usr/bin/env bash
# Builds the static site into dist/: the release wasm twice (simd128, and portable for browsers without
# wasm SIMD), the wasm-bindgen glue, the front end and its vendored chart library. Relative URLs only, so
# dist/ works from any static host and under any sub-path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }

build_wasm() { # $1 = flavour, $2 = rustflags, $3 = target dir
  say "wasm ($1)"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$2" \
    cargo build --quiet --profile web --lib --target wasm32-unknown-unknown --target-dir "$3"
  # The `name` section (function names, for stack traces) is a twelfth of the gzipped module and the
  # producers section is telemetry: neither changes what the module computes, so the page ships without them.
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name segloss --out-dir "dist/pkg/$1" \
    "$3/wasm32-unknown-unknown/web/segloss.wasm"
}

rm -rf dist
mkdir -p dist/vendor
# Both at once: each ends in a single-threaded LTO step, so on two cores together is ~2x faster.
build_wasm simd128 "-C target-feature=+simd128" target &
simd128=$!
build_wasm portable "-C target-feature=-simd128" target/portable &
portable=$!
failed=0
wait "$simd128" || failed=1
wait "$portable" || failed=1
[ "$failed" = 0 ]
cp -r www/. dist/
cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css dist/vendor/
# fflate (npm, no dependencies) reads .zip datasets in www/js/zip-worker.js.
cp node_modules/fflate/esm/browser.js dist/vendor/fflate.js
say "dist/ ready ($(du -sh dist | cut -f1)); segloss_bg.wasm $(wc -c <dist/pkg/simd128/segloss_bg.wasm | tr -d ' ') bytes raw, $(gzip -9c dist/pkg/simd128/segloss_bg.wasm | wc -c | tr -d " ") gzipped"
