// npm run bench:wasmedge — tracker-server.wasm under WasmEdge against its floors, all in one run:
// cold start (C prober), GET /epcs/{epc}/state throughput (wrk) against the Node service and the
// bare WASI and native servers, single-event POST /events latency at a fixed rate, and batch
// capture into the journal. Settings: BENCH_WASMEDGE_* (bench-settings.ts). Prints a table and
// writes bench/results/wasmedge-server-<timestamp>.{json,md}. Every process it starts is ended,
// also on Ctrl-C (SIGINT) and SIGTERM.
import { cpus, loadavg } from 'node:os';
import { type BenchRow, report } from '../lib/report.js';
import { buildArtifacts } from './artifacts.js';
import { BenchContext, type SectionResult } from './bench-context.js';
import { readSettings, type Section } from './bench-settings.js';
import { killEverythingNow, stopEverything } from './processes.js';
import { batchCaptureSection } from './sections/batch-capture.js';
import { coldStartSection } from './sections/cold-start.js';
import { singleEventSection } from './sections/single-event.js';
import { stateLookupSection } from './sections/state-lookup.js';

const SECTIONS: Record<Section, (ctx: BenchContext) => Promise<SectionResult>> = {
  cold: coldStartSection,
  state: stateLookupSection,
  events: singleEventSection,
  capture: batchCaptureSection,
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench:wasmedge: ${signal}, ending every process it started`);
    void stopEverything().finally(() => process.exit(130));
  });
}
process.once('exit', killEverythingNow);

const settings = readSettings(process.env);
const loadAtStart = loadavg();
console.error(`bench:wasmedge settings ${JSON.stringify(settings)}`);
console.error(
  `machine: ${cpus().length} cores, load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`,
);
const started = performance.now();
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = { settings, loadAverageAtStart: loadAtStart };
try {
  const ctx = new BenchContext(settings, buildArtifacts(settings.serverWasm, settings.workDir));
  for (const section of settings.sections) {
    const sectionStarted = performance.now();
    const result = await SECTIONS[section](ctx);
    rows.push(...result.rows);
    notes[section] = { ...result.notes, seconds: (performance.now() - sectionStarted) / 1000 };
  }
} finally {
  await stopEverything();
}
notes['loadAverageAtEnd'] = loadavg();
notes['totalSeconds'] = (performance.now() - started) / 1000;
notes['method'] = [
  'Servers, generators and the prober are processes of their own on the same cores (no pinning).',
  'Cold start: C prober, exec to the first "HTTP/1.1 200" of GET /health; configurations take turns.',
  'Throughput: wrk -t1, closed loop, median of BENCH_WASMEDGE_RUNS runs after 1 s of warm-up.',
  'Latency: Node open-loop generator (timed from due time), median of runs; the bare WASI server with the same generator is the floor.',
  'Batch capture: fresh server per run; the 202 comes after fd_datasync, so events/s are durable events/s.',
];
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
report(`wasmedge-server-${stamp}`, rows, notes);
console.log(
  `\nmachine: ${cpus().length} cores, load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, ` +
    `at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; server ${settings.serverWasm}; ` +
    `${settings.quick ? 'QUICK mode, ' : ''}total ${Math.round((performance.now() - started) / 1000)} s`,
);
