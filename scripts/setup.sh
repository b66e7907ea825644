#!/usr/bin/env bash
# Installs what building and serving need, for the current user (no root, no browser, no Python):
# rustup's wasm32 target, the wasm-bindgen CLI at the version in Cargo.lock, and the npm packages the
# page vendors. Stops with one message if Rust, a C linker or Node.js is missing. Skips what is already
# there (a warm run takes ~1 s). Sourced by serve.sh and test.sh (which sets npm_packages=all for the
# test tools, then sources setup-test.sh); safe to run on its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
source scripts/prerequisites.sh

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

need_build_tools
stop_if_missing "${setup_for:-scripts/serve.sh}"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must equal the wasm-bindgen crate version in Cargo.lock, or the generated glue breaks.
[ -f Cargo.lock ] || cargo generate-lockfile
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want into ${CARGO_HOME:-$HOME/.cargo}/bin (found '${have:-none}'; takes ~3 min once)"
  # No --locked: the registry here lacks one pinned transitive version (see shared/reference/toolchain.md).
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# npm ci only when package-lock.json changed since the last install. Serving needs the page's packages
# (`dependencies`); the tests need the rest too. A full install also serves the page.
npm_packages=${npm_packages:-page}
full_stamp=node_modules/.segloss-lock-all
stamp=node_modules/.segloss-lock-$npm_packages
if ! cmp -s package-lock.json "$full_stamp" 2>/dev/null && ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  say "installing npm packages from package-lock.json ($npm_packages)"
  if [ "$npm_packages" = all ]; then
    npm ci --no-audit --no-fund --update-notifier=false --loglevel=error
  else
    npm ci --omit=dev --no-audit --no-fund --update-notifier=false --loglevel=error
  fi
  cp package-lock.json "$stamp"
fi
