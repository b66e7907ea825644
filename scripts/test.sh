#!/usr/bin/env bash
# Runs every check and test: formatting and lints, clippy, native cargo tests, the Keras check, wasm
# tests in Node and in headless Chromium, the browser end-to-end tests against the built page, and
# scripts/serve.sh as a non-root user. Installs what is missing first (setup.sh, setup-test.sh). A
# failing stage does not stop the others: every stage's counts and seconds are printed at the end, and
# the script then exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm_packages=all setup_for=scripts/test.sh
source scripts/setup.sh
source scripts/setup-test.sh

logs=$(mktemp -d)
summary=()
total_passed=0 total_failed=0 total_skipped=0

# Runs one stage ($1 = name; the rest is the command), tees its output to a log and records its
# counts: the test runners' own (cargo's "N passed; M failed", node's "# pass/# fail/# skipped", the
# Keras check's "N passed, M failed"), or
# for a check without tests 1 passed or 1 failed by its exit status. A stage whose command fails
# with no failed test counted (a compile error, a crash) counts one failure.
stage() {
  local name=$1 log="$logs/$((${#summary[@]} + 1))" started=$SECONDS passed failed skipped status
  shift
  printf '\n\033[1m[test] %s\033[0m\n' "$name"
  { status=0; "$@" 2>&1 || status=$?; echo "$status" >"$log.status"; } | tee "$log"
  status=$(cat "$log.status")
  if grep -q '^# pass ' "$log"; then
    passed=$(awk '/^# pass /{s+=$3} END{print s+0}' "$log")
    failed=$(awk '/^# fail /{s+=$3} END{print s+0}' "$log")
    skipped=$(awk '/^# skipped /{s+=$3} END{print s+0}' "$log")
  elif grep -q '^test result: ' "$log"; then
    passed=$(grep '^test result: ' "$log" | grep -o '[0-9]* passed' | awk '{s+=$1} END{print s+0}')
    failed=$(grep '^test result: ' "$log" | grep -o '[0-9]* failed' | awk '{s+=$1} END{print s+0}')
    skipped=$(grep '^test result: ' "$log" | grep -o '[0-9]* ignored' | awk '{s+=$1} END{print s+0}')
  elif grep -q '^[0-9]* passed, [0-9]* failed$' "$log"; then
    passed=$(grep '^[0-9]* passed, [0-9]* failed$' "$log" | tail -1 | awk '{print $1}')
    failed=$(grep '^[0-9]* passed, [0-9]* failed$' "$log" | tail -1 | awk '{print $3}')
    skipped=0
  else
    passed=$((status == 0 ? 1 : 0)) failed=0 skipped=0
  fi
  if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  summary+=("$(printf '%-24s %4d passed, %d failed, %d skipped  (%d s)%s' "$name:" "$passed" "$failed" \
    "$skipped" $((SECONDS - started)) "$([ "$status" = 0 ] || echo "  exit $status")")")
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
}

build_all() { scripts/build.sh && cargo build --quiet --profile e2e --bin segloss; }

stage "cargo fmt --check" cargo fmt --check
stage "biome (JS lint, format)" npm run --silent lint
stage "build dist/ + e2e CLI" build_all
stage "clippy" cargo clippy --quiet --all-targets -- -D warnings
# Unit and integration tests in the dev profile (optimised, with debug assertions), then the
# checksums of debug against the release-optimised CLI that build_all made (tests/profiles.rs).
stage "native (cargo test)" env SEGLOSS_REQUIRE_WASM=1 SEGLOSS_RELEASE_CLI=target/e2e/segloss \
  cargo test --no-fail-fast --lib --bins --tests
stage "Keras 3 + JAX" scripts/keras_verify.sh
stage "wasm in Node" cargo test --no-fail-fast --target wasm32-unknown-unknown --test wasm
stage "wasm in Chromium" env WASM_BINDGEN_USE_BROWSER=1 \
  cargo test --no-fail-fast --target wasm32-unknown-unknown --test wasm
stage "end-to-end (Chromium)" npm run --silent e2e
stage "serve.sh as non-root" node --test tests/serve/

printf '\n\033[1m[test] summary\033[0m\n'
printf '%s\n' "${summary[@]}"
echo "$SECONDS s in all"
echo "all: ${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
[ "$total_failed" = 0 ]
