// The knobs of `npm run bench:tracking`: its own BENCH_TRACKING_* variables, checked and defaulted
// here, plus the ones it shares with bench:service (BENCH_RUNS, BENCH_THROUGHPUT_S, BENCH_DIR,
// BENCH_LOG_LEVEL, BENCH_CPU_PROF, BENCH_FRESH_STORE), read by the service benchmark's reader.
import { type BenchSettings, integer, readBenchSettings } from '../service/bench-settings.js';
import { EPCS_PER_EVENT, ITEMS_PER_CASE } from './dataset.js';

export type TrackingSection = 'state' | 'trace' | 'feed';

export interface TrackingSettings {
  /** BENCH_TRACKING_EPCS: tracked items seeded (a multiple of 1000: 1000-EPC events). */
  epcs: number;
  /** BENCH_TRACKING_SEED_EVENTS: 1000-EPC events per POST /capture document while seeding. */
  seedEventsPerDocument: number;
  /** BENCH_TRACKING_CONNECTIONS: connections of the closed-loop state-lookup throughput runs. */
  connections: number;
  /** BENCH_TRACKING_STATE_RATE: requests per second of the open-loop state-lookup latency runs. */
  stateRatePerS: number;
  /** BENCH_TRACKING_STATE_S: seconds per open-loop state-lookup run (after 1 s warm-up). */
  stateS: number;
  /** BENCH_TRACKING_TRACE_ITEMS: items the recalled lot's transformation outputs (multiple of 20). */
  traceItems: number;
  /** BENCH_TRACKING_TRACES: timed forward traces per run (after 3 unrecorded ones). */
  traces: number;
  /** BENCH_TRACKING_SUBSCRIBERS: concurrent GET /events/stream subscribers. */
  subscribers: number;
  /** BENCH_TRACKING_FEED_RATE: events per second captured (POST /events, open loop) while they listen. */
  feedRatePerS: number;
  /** BENCH_TRACKING_FEED_S: seconds of measured capture per live-feed run (after 2 s warm-up). */
  feedS: number;
  /** BENCH_TRACKING_SECTIONS: comma-separated subset of state, trace, feed. */
  sections: readonly TrackingSection[];
}

const SECTIONS: readonly TrackingSection[] = ['state', 'trace', 'feed'];
const KNOWN = new Set([
  'BENCH_TRACKING_EPCS',
  'BENCH_TRACKING_SEED_EVENTS',
  'BENCH_TRACKING_CONNECTIONS',
  'BENCH_TRACKING_STATE_RATE',
  'BENCH_TRACKING_STATE_S',
  'BENCH_TRACKING_TRACE_ITEMS',
  'BENCH_TRACKING_TRACES',
  'BENCH_TRACKING_SUBSCRIBERS',
  'BENCH_TRACKING_FEED_RATE',
  'BENCH_TRACKING_FEED_S',
  'BENCH_TRACKING_SECTIONS',
]);

function multipleOf(name: string, value: number, unit: number): number {
  if (value % unit !== 0) throw new Error(`${name} must be a multiple of ${unit}`);
  return value;
}

export function readTrackingSettings(env: NodeJS.ProcessEnv): {
  shared: Readonly<BenchSettings>;
  tracking: Readonly<TrackingSettings>;
} {
  for (const name of Object.keys(env)) {
    if (name.startsWith('BENCH_TRACKING_') && !KNOWN.has(name)) throw new Error(`unknown setting ${name}`);
  }
  const sections = (env['BENCH_TRACKING_SECTIONS'] ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
  for (const section of sections) {
    if (!SECTIONS.includes(section as TrackingSection)) {
      throw new Error(`BENCH_TRACKING_SECTIONS: unknown section ${section}`);
    }
  }
  const tracking: TrackingSettings = {
    epcs: multipleOf(
      'BENCH_TRACKING_EPCS',
      integer(env, 'BENCH_TRACKING_EPCS', 1_000_000, EPCS_PER_EVENT),
      EPCS_PER_EVENT,
    ),
    seedEventsPerDocument: integer(env, 'BENCH_TRACKING_SEED_EVENTS', 10, 1),
    connections: integer(env, 'BENCH_TRACKING_CONNECTIONS', 32, 1),
    stateRatePerS: integer(env, 'BENCH_TRACKING_STATE_RATE', 2000, 1),
    stateS: integer(env, 'BENCH_TRACKING_STATE_S', 10, 1),
    traceItems: multipleOf(
      'BENCH_TRACKING_TRACE_ITEMS',
      integer(env, 'BENCH_TRACKING_TRACE_ITEMS', 10_000, ITEMS_PER_CASE),
      ITEMS_PER_CASE,
    ),
    traces: integer(env, 'BENCH_TRACKING_TRACES', 20, 1),
    subscribers: integer(env, 'BENCH_TRACKING_SUBSCRIBERS', 100, 1),
    feedRatePerS: integer(env, 'BENCH_TRACKING_FEED_RATE', 2000, 1),
    feedS: integer(env, 'BENCH_TRACKING_FEED_S', 10, 1),
    sections: sections as TrackingSection[],
  };
  return { shared: readBenchSettings(env), tracking: Object.freeze(tracking) };
}
