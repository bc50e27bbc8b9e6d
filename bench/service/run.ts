// npm run bench:service — the service as deployed (dist/host/main.js, its own process, 127.0.0.1)
// under load from generator processes, with bare node:http answering the same requests as the
// ceiling, measured in the same run: POST /events (max throughput; P50/P99/P99.9 at a fixed
// open-loop rate), POST /capture with 1000-event documents (durable events/s against the in-process
// SQLite insert of the same rows) and selective GET /events over a large store. Settings: BENCH_*
// (bench/service/bench-settings.ts). Prints a table, writes bench/results/service.{json,md}.
import { type BenchRow, report } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { BenchContext } from './bench-context.js';
import { readBenchSettings, type Section } from './bench-settings.js';
import { CORES } from './machine-load.js';
import { batchCaptureSection } from './sections/batch-capture.js';
import { eventQuerySection } from './sections/event-query.js';
import type { SectionResult } from './sections/section-result.js';
import { singleEventSection } from './sections/single-event.js';

const SECTIONS: Record<Section, (ctx: BenchContext) => Promise<SectionResult>> = {
  events: singleEventSection,
  capture: batchCaptureSection,
  query: eventQuerySection,
};

/** Every number stored under `key` anywhere in `value`. */
function collect(value: unknown, key: string): number[] {
  if (Array.isArray(value)) return value.flatMap((v) => collect(v, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === key && typeof v === 'number' ? [v] : collect(v, key),
  );
}

const settings = readBenchSettings(process.env);
console.error(`bench:service settings ${JSON.stringify(settings)}`);
const ctx = new BenchContext(settings);
const started = performance.now();
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = { settings };
for (const section of settings.sections) {
  const sectionStarted = performance.now();
  const result = await SECTIONS[section](ctx);
  rows.push(...result.rows);
  notes[section] = { ...result.notes, seconds: (performance.now() - sectionStarted) / 1000 };
}
notes['totalSeconds'] = (performance.now() - started) / 1000;
const foreign = collect(notes, 'otherCores');
const repeated = collect(notes, 'disturbedAttempts').reduce((sum, n) => sum + n, 0);
notes['otherCoresDuringRuns'] = {
  median: foreign.length > 0 ? median(foreign) : null,
  max: Math.max(0, ...foreign),
  repeated,
};
notes['method'] = [
  'Service and bare node:http each run in their own process; every load generator runs in another.',
  'Figures are medians of BENCH_RUNS runs. Closed-loop (autocannon) runs give max throughput;',
  'open-loop runs send on a fixed schedule and time each request from its due time.',
  'All processes share the machine’s cores; generatorCores in the notes shows the generator’s share.',
];
report('service', rows, notes);
console.log(
  `\nsettings: ${settings.runs} runs, POST /events ${settings.connections} connections × ${settings.throughputS} s and ` +
    `${settings.ratePerS}/s × ${settings.rateS} s; POST /capture ${settings.captureDocuments} docs × ${settings.captureConcurrency} clients; ` +
    `GET /events over ${settings.events} events, ${settings.queryConnections} connections, ${settings.queryRatePerS}/s × ${settings.queryS} s; ` +
    `service LOG_LEVEL=${settings.logLevel}; total ${Math.round((performance.now() - started) / 1000)} s`,
);
console.log(
  `CPU used by other processes during the measured runs (cores of ${CORES}, incl. loopback softirq): ` +
    `median ${foreign.length > 0 ? median(foreign).toFixed(2) : 'n/a'}, max ${Math.max(0, ...foreign).toFixed(2)}; ` +
    `${repeated} disturbed runs repeated`,
);
