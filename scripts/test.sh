#!/usr/bin/env bash
# Runs every test: native cargo tests, wasm-bindgen tests in Node and in headless Chromium, and the
# browser end-to-end tests against the built page. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

logs=$(mktemp -d)
summary=()
stage_started=$SECONDS
step() { stage_started=$SECONDS; printf '\n\033[1m[test] %s\033[0m\n' "$1"; }
# Adds up cargo's "test result" lines (or node's "# pass/# fail") of one stage's log.
count() { # $1 = stage name, $2 = log
  local passed failed
  if grep -q '^# pass ' "$2"; then
    passed=$(awk '/^# pass /{s+=$3} END{print s+0}' "$2")
    failed=$(awk '/^# fail /{s+=$3} END{print s+0}' "$2")
  else
    passed=$(grep -o '[0-9]* passed' "$2" | awk '{s+=$1} END{print s+0}')
    failed=$(grep -o '[0-9]* failed' "$2" | awk '{s+=$1} END{print s+0}')
  fi
  summary+=("$(printf '%-22s %4d passed, %d failed  (%d s)' "$1:" "$passed" "$failed" $((SECONDS - stage_started)))")
  total_passed=$(( ${total_passed:-0} + passed )); total_failed=$(( ${total_failed:-0} + failed ))
}

step "build dist/ (release wasm, simd128 and portable) and the release CLI (the share test runs it)"
scripts/build.sh
cargo build --quiet --release --bin segloss

step "native: cargo test"
SEGLOSS_REQUIRE_WASM=1 cargo test --all-targets 2>&1 | tee "$logs/native"
count native "$logs/native"

step "Keras: the generated code in Keras 3 + JAX against segloss (scripts/keras_verify.sh)"
scripts/keras_verify.sh 2>&1 | tee "$logs/keras"
count keras "$logs/keras"

export CHROMEDRIVER=/usr/bin/chromedriver
step "wasm in Node: wasm-bindgen-test"
cargo test --target wasm32-unknown-unknown --test 'wasm_*' 2>&1 | tee "$logs/node"
count "wasm (Node)" "$logs/node"

step "wasm in headless Chromium: wasm-bindgen-test"
WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test 'wasm_*' 2>&1 | tee "$logs/chromium"
count "wasm (Chromium)" "$logs/chromium"

step "end-to-end: playwright-core + Chromium against dist/"
timeout 1800 npm run --silent e2e 2>&1 | tee "$logs/e2e"
count "end-to-end" "$logs/e2e"

printf '\n\033[1m[test] summary\033[0m\n'
printf '%s\n' "${summary[@]}"
echo "all: ${total_passed} passed, ${total_failed} failed in $SECONDS s"
