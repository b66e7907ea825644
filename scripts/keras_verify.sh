#!/usr/bin/env bash
# Verifies the generated Keras code against segloss in real Keras 3 (JAX backend, CPU): every loss
# spec's value and gradient, and the generated model with exported weights (scripts/keras_verify.py).
# Creates target/keras-venv from scripts/keras_verify-requirements.txt on first use (~40 s from PyPI),
# builds the release CLI and runs the checks; the report goes to target/keras-verify.txt, and with
# --write-report also to docs/keras-verify.txt (the committed one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

venv=target/keras-venv
requirements=scripts/keras_verify-requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  started=$SECONDS
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
  echo "[keras] installed Keras and JAX into $venv in $((SECONDS - started)) s"
fi
# The release-optimised CLI without LTO (profile e2e in Cargo.toml): same numbers, faster to build.
cargo build --quiet --profile e2e --bin segloss
status=0
"$venv/bin/python" scripts/keras_verify.py target/e2e/segloss >target/keras-verify.txt 2>&1 || status=$?
cat target/keras-verify.txt
if [[ "${1:-}" == --write-report ]]; then cp target/keras-verify.txt docs/keras-verify.txt; fi
exit "$status"
