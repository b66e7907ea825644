#!/usr/bin/env bash
# Issue 8's benchmark in one command: builds dist/ (unless --no-build), vendors the peer frameworks next to
# it (TF.js 4.22 and jax-js from node_modules, served from localhost only), runs the native criterion
# benchmarks and the wasm per-op timing (tests/kernel_timing.rs), then drives www/bench.html in headless
# Chromium. Prints the JSON report; writes docs/performance.json and the tables of docs/performance.md.
# `--quick` is a smoke run (W2 only, no files).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
quick=""; build=1
for arg in "$@"; do
  case $arg in --quick) quick=--quick ;; --no-build) build=0 ;; *) echo "unknown option $arg" >&2; exit 2 ;; esac
done
[ -d node_modules/@tensorflow/tfjs ] || npm ci --silent
[ $build = 1 ] && scripts/build.sh >&2
mkdir -p dist/vendor/jax
cp node_modules/@tensorflow/tfjs/dist/tf.min.js dist/vendor/
cp node_modules/@jax-js/jax/dist/*.js dist/vendor/jax/
if [ -z "$quick" ]; then
  cargo bench --quiet --features bench --bench kernels >&2
  # Where a W1 step's time goes inside wasm (Node's V8): each conv op, then forward/loss/backward/Adam.
  cargo test --release --target wasm32-unknown-unknown --test kernel_timing -- --nocapture 2>&1 | grep '|' >&2
fi
uptime >&2
node scripts/bench-run.mjs $quick
