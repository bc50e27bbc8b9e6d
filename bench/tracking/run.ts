// npm run bench:tracking — the tracking API and live feed of the service as deployed
// (dist/host/main.js, its own process, 127.0.0.1) under load from generator processes, with bare
// node:http as the ceiling in the same run: GET /epcs/{epc}/state over 1,000,000 tracked EPCs
// (seeded through POST /capture), GET /trace/{lot}?direction=forward over a 10,000-item recall,
// and GET /events/stream fanned out to 100 subscribers while 2,000 events/s are captured.
// Settings: BENCH_TRACKING_* (tracking-settings.ts) and the shared BENCH_* of bench:service.
// Prints a table, writes bench/results/tracking.{json,md}.
import { type BenchRow, report } from '../lib/report.js';
import { BenchContext } from '../service/bench-context.js';
import { CORES } from '../service/machine-load.js';
import type { SectionResult } from '../service/sections/section-result.js';
import { closeConnections } from './http-client.js';
import { liveFeedSection } from './sections/live-feed.js';
import { recallTraceSection } from './sections/recall-trace.js';
import { stateLookupSection } from './sections/state-lookup.js';
import { type SeededStore, seededStore } from './setup/seed-store.js';
import { readTrackingSettings } from './tracking-settings.js';

const { shared, tracking } = readTrackingSettings(process.env);
console.error(`bench:tracking settings ${JSON.stringify({ shared, tracking })}`);
const ctx = new BenchContext(shared);
const started = performance.now();
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = { settings: { shared, tracking } };

let store: SeededStore | null = null;
if (tracking.sections.includes('state') || tracking.sections.includes('trace')) {
  store = await seededStore(ctx, tracking);
  notes['store'] = store;
  if (store.seedSeconds !== null) {
    rows.push({
      metric: `seeding: ${store.epcs.toLocaleString('en-US')} EPCs via POST /capture (1000 EPCs/event, ${tracking.seedEventsPerDocument} events/document)`,
      value: store.seedSeconds,
      unit: 's',
    });
  }
}
const sections: Record<string, () => Promise<SectionResult>> = {
  state: () => stateLookupSection(ctx, tracking, store!),
  trace: () => recallTraceSection(ctx, tracking, store!),
  feed: () => liveFeedSection(ctx, tracking),
};
for (const section of tracking.sections) {
  const sectionStarted = performance.now();
  const result = await sections[section]!();
  rows.push(...result.rows);
  notes[section] = { ...result.notes, seconds: (performance.now() - sectionStarted) / 1000 };
}
closeConnections();
notes['totalSeconds'] = (performance.now() - started) / 1000;
notes['method'] = [
  `Service, bare node:http and every load generator run in processes of their own on the same ${CORES} cores;`,
  'the OS schedules them freely (no pinning). machine.serverCores / generatorCores / otherCores in each run',
  'show the split; the SSE subscriber process reports subscriberCores. Figures are medians of BENCH_RUNS runs.',
  'State lookups: closed loop (autocannon) for throughput, open loop (fixed rate, timed from due time) for',
  'percentiles; bare node:http answers the same URLs with bodies of the same size in the same run.',
];
report('tracking', rows, notes);
console.log(
  `\nsettings: ${shared.runs} runs; ${tracking.epcs} EPCs; state ${tracking.connections} connections × ${shared.throughputS} s, ` +
    `${tracking.stateRatePerS}/s × ${tracking.stateS} s; trace ${tracking.traceItems} items, ${tracking.traces} walks/run; ` +
    `SSE ${tracking.subscribers} subscribers, ${tracking.feedRatePerS}/s × ${tracking.feedS} s; service LOG_LEVEL=${shared.logLevel}; ` +
    `total ${Math.round((performance.now() - started) / 1000)} s`,
);
