#!/usr/bin/env bash
# Issue 8's benchmark in one command: builds dist/ (unless --no-build), vendors the peer frameworks next to
# it (TF.js 4.22 and jax-js from node_modules, served from localhost only), runs the native criterion
# benchmarks and the wasm per-op timing (tests/kernel_timing.rs), then drives www/bench.html in headless
# Chromium: the peak interleaved with our W1 and W2, then the peers; then the page's default experiment
# under the lane policy (scripts/bench-lanes.mjs). Prints the JSON report; writes docs/performance.json
# and the tables of docs/performance.md. `--quick` is a smoke run (W2 only, no files); `--no-peers`
# leaves out TF.js and jax-js (half an hour on this machine), `--no-native` the criterion benches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The same installs as the test command: the peers and the browser driver are test packages.
npm_packages=all setup_for=scripts/bench.sh
source scripts/setup.sh
source scripts/setup-test.sh
quick=""; peers=""; native=1; build=1
for arg in "$@"; do
  case $arg in
    --quick) quick=--quick ;; --no-peers) peers=--no-peers ;; --no-native) native=0 ;; --no-build) build=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
[ $build = 1 ] && scripts/build.sh >&2
mkdir -p dist/vendor/jax
cp node_modules/@tensorflow/tfjs/dist/tf.min.js dist/vendor/
cp node_modules/@jax-js/jax/dist/*.js dist/vendor/jax/
mkdir -p target/bench
rm -f target/bench/kernel_timing.txt target/bench/lanes.json
if [ -z "$quick" ]; then
  [ $native = 1 ] && cargo bench --quiet --features bench --bench kernels >&2
  # Where a W1 and a W2 step's time goes inside wasm (Node's V8): each conv op, then the step's parts.
  cargo test --release --target wasm32-unknown-unknown --test kernel_timing -- --nocapture 2>&1 | grep '|' \
    | tee target/bench/kernel_timing.txt >&2
  uptime >&2
  node scripts/bench-lanes.mjs > target/bench/lanes.json
fi
uptime >&2
node scripts/bench-run.mjs $quick $peers "$([ $native = 1 ] || echo --no-native)"
