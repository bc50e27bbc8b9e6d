// npm run bench — every benchmark, one after another, each in a process of its own so none warms
// or pollutes another's heap: the core, the service (real process under load), its tracking API
// and live feed, the store, and sync (relay and hub on the RabbitMQ at 127.0.0.1:5672, against
// the raw confirm-channel ceiling), tracker-server.wasm under WasmEdge against its floors, its state
// snapshots, and XML capture against JSON capture.
// Each prints its table and writes bench/results/NAME.{json,md}. Expects a fresh build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = [
  'core/run.js',
  'service/run.js',
  'tracking/run.js',
  'store/run.js',
  'sync/run.js',
  'wasmedge-server/run.js',
  'snapshot/run.js',
  'xml/run.js',
];

for (const script of BENCHMARKS) {
  console.log(`\n## bench/${script.replace(/\.js$/, '.ts')}\n`);
  const { status, signal } = spawnSync(
    process.execPath,
    [fileURLToPath(new URL(`./${script}`, import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
  if (status !== 0) {
    console.error(`bench/${script} failed (${status ?? signal})`);
    process.exit(1);
  }
}
// Issue 12's goal table from the results just written.
await import('./goals/print-goals.js');
