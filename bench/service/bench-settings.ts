// Every knob of `npm run bench:service`, read once from BENCH_* environment variables, checked,
// defaulted and frozen. The run prints the values it used and stores them with the results.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Section = 'events' | 'capture' | 'query';

export interface BenchSettings {
  /** BENCH_RUNS: measured runs per figure; the table shows their median. */
  runs: number;
  /** BENCH_CONNECTIONS: connections of the closed-loop (maximum throughput) runs on POST /events. */
  connections: number;
  /** BENCH_THROUGHPUT_S: seconds per closed-loop run, after 1 s of unrecorded warm-up. */
  throughputS: number;
  /** BENCH_RATE: requests per second of the open-loop POST /events latency runs. */
  ratePerS: number;
  /** BENCH_RATE_S: seconds per open-loop run, after 2 s of unrecorded warm-up at the same rate. */
  rateS: number;
  /** BENCH_CAPTURE_DOCS: 1000-event documents per POST /capture run. */
  captureDocuments: number;
  /** BENCH_CAPTURE_CONCURRENCY: clients posting documents at once. */
  captureConcurrency: number;
  /** BENCH_EVENTS: events in the store GET /events is measured on. */
  events: number;
  /** BENCH_QUERY_CONNECTIONS: connections of the closed-loop GET /events throughput runs. */
  queryConnections: number;
  /** BENCH_QUERY_RATE: requests per second of the open-loop GET /events latency runs. */
  queryRatePerS: number;
  /** BENCH_QUERY_S: seconds per open-loop GET /events run. */
  queryS: number;
  /** BENCH_FRESH_STORE=1: rebuild the query store even if a finished one of this size exists. */
  freshStore: boolean;
  /** BENCH_DIR: where databases, service logs and the reusable query store live. */
  workDir: string;
  /** BENCH_SECTIONS: comma-separated subset of events, capture, query. */
  sections: readonly Section[];
  /** BENCH_LOG_LEVEL: the service's LOG_LEVEL (its default, info, logs failed and slow requests; debug logs every one). */
  logLevel: string;
  /** BENCH_CPU_PROF=1: write a V8 CPU profile of every service process into BENCH_DIR/profiles. */
  cpuProfile: boolean;
}

const SECTIONS: readonly Section[] = ['events', 'capture', 'query'];

export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}`);
  return value;
}

export function readBenchSettings(env: NodeJS.ProcessEnv): Readonly<BenchSettings> {
  const known = new Set([
    'BENCH_RUNS',
    'BENCH_CONNECTIONS',
    'BENCH_THROUGHPUT_S',
    'BENCH_RATE',
    'BENCH_RATE_S',
    'BENCH_CAPTURE_DOCS',
    'BENCH_CAPTURE_CONCURRENCY',
    'BENCH_EVENTS',
    'BENCH_QUERY_CONNECTIONS',
    'BENCH_QUERY_RATE',
    'BENCH_QUERY_S',
    'BENCH_FRESH_STORE',
    'BENCH_DIR',
    'BENCH_SECTIONS',
    'BENCH_LOG_LEVEL',
    'BENCH_CPU_PROF',
  ]);
  for (const name of Object.keys(env)) {
    // BENCH_TRACKING_* and BENCH_WASMEDGE_*: bench/tracking's and bench/wasmedge-server's own knobs,
    // checked there (npm run bench passes one environment).
    if (name.startsWith('BENCH_TRACKING_') || name.startsWith('BENCH_WASMEDGE_')) continue;
    if (name.startsWith('BENCH_') && !known.has(name)) throw new Error(`unknown setting ${name}`);
  }
  const sections = (env['BENCH_SECTIONS'] ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
  for (const section of sections) {
    if (!SECTIONS.includes(section as Section)) throw new Error(`BENCH_SECTIONS: unknown section ${section}`);
  }
  return Object.freeze({
    runs: integer(env, 'BENCH_RUNS', 3, 1),
    connections: integer(env, 'BENCH_CONNECTIONS', 64, 1),
    throughputS: integer(env, 'BENCH_THROUGHPUT_S', 5, 1),
    ratePerS: integer(env, 'BENCH_RATE', 2000, 1),
    rateS: integer(env, 'BENCH_RATE_S', 20, 1),
    captureDocuments: integer(env, 'BENCH_CAPTURE_DOCS', 40, 1),
    captureConcurrency: integer(env, 'BENCH_CAPTURE_CONCURRENCY', 4, 1),
    events: integer(env, 'BENCH_EVENTS', 1_000_000, 1000),
    queryConnections: integer(env, 'BENCH_QUERY_CONNECTIONS', 8, 1),
    queryRatePerS: integer(env, 'BENCH_QUERY_RATE', 200, 1),
    queryS: integer(env, 'BENCH_QUERY_S', 10, 1),
    freshStore: env['BENCH_FRESH_STORE'] === '1',
    workDir: env['BENCH_DIR'] ?? join(tmpdir(), 'edgetrace-bench-service'),
    sections: sections as Section[],
    logLevel: env['BENCH_LOG_LEVEL'] ?? 'info',
    cpuProfile: env['BENCH_CPU_PROF'] === '1',
  });
}
