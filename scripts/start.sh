#!/usr/bin/env bash
# Runs the service from a fresh clone: installs dependencies, builds tracker.wasm and the host,
# then starts it with embedded defaults (port 8080, SQLite under ./data, sync off). Arguments are
# passed on as flags, e.g. `npm start -- --port 9090`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-dependencies.sh
npm run --silent build
exec node dist/host/main.js "$@"
