#!/usr/bin/env bash
# Serve the playground: install what building needs (for this user: no root, no browser), build dist/,
# serve it on http://127.0.0.1:${PORT:-8080} (port 0: any free port, printed).
# Usage: scripts/serve.sh [port]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
scripts/build.sh
exec node scripts/serve.mjs dist "${1:-${PORT:-8080}}"
