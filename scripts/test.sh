#!/usr/bin/env bash
# Runs every test from a fresh clone: installs dependencies, builds tracker.wasm and the host,
# provides WasmEdge, Chromium and a RabbitMQ broker (tests fail rather than skip when one is
# missing), then runs vitest and prints the runner's own counts as the last line:
# "tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-dependencies.sh
npm run --silent build
bash scripts/install-wasmedge.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-rabbitmq.sh

mkdir -p tests/artifacts
report=tests/artifacts/vitest-report.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
node scripts/print-test-counts.mjs "$report"
exit "$status"
