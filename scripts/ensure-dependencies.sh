#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than package-lock.json.
# better-sqlite3 compiles from source here (about a minute): its prebuilt binaries are not reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
