// Every knob of `npm run bench:wasmedge`, read once from BENCH_WASMEDGE_* variables, checked,
// defaulted and frozen. Its own prefix: `npm run bench` passes one environment to every benchmark,
// and bench:service refuses BENCH_* names it does not know. The run prints the values it used and
// stores them with the results.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Section = 'cold' | 'state' | 'events' | 'capture';
const SECTIONS: readonly Section[] = ['cold', 'state', 'events', 'capture'];

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WasmEdgeBenchSettings {
  /** BENCH_WASMEDGE_QUICK=1: smaller defaults for a quick look (every figure still a median). */
  quick: boolean;
  /** BENCH_WASMEDGE_RUNS: runs per throughput/latency figure (the table shows the median). */
  runs: number;
  /** BENCH_WASMEDGE_COLD_RUNS: starts per cold-start row (min and median of them). */
  coldRuns: number;
  /** BENCH_WASMEDGE_THROUGHPUT_S: seconds per wrk run, after 1 s of unrecorded warm-up. */
  throughputS: number;
  /** BENCH_WASMEDGE_CONNECTIONS: wrk connections of the GET /epcs/{epc}/state runs. */
  connections: number;
  /** BENCH_WASMEDGE_RATE / _RATE_S: open-loop POST /events rate (requests/s) and seconds per run. */
  ratePerS: number;
  rateS: number;
  /** BENCH_WASMEDGE_CAPTURE_DOCS: 1000-event documents per batch-capture run. */
  captureDocuments: number;
  /** BENCH_WASMEDGE_EPCS: tracked EPCs of the state lookups (a multiple of 10,000). */
  epcs: number;
  /** BENCH_WASMEDGE_JOURNAL_EVENTS: journaled events of the second cold-start row (a multiple of 1000). */
  journalEvents: number;
  /** BENCH_WASMEDGE_SERVER_WASM: the tracker-server.wasm measured (AOT-compiled into workDir). */
  serverWasm: string;
  /** BENCH_WASMEDGE_DIR: data directories, logs and compiled artifacts. */
  workDir: string;
  /** BENCH_WASMEDGE_SECTIONS: comma-separated subset of cold, state, events, capture. */
  sections: readonly Section[];
  /** BENCH_WASMEDGE_LOG_LEVEL: the Node service's LOG_LEVEL (its default, info, logs failed and slow requests; debug logs every one). */
  logLevel: string;
}

const KNOWN = new Set([
  'QUICK',
  'RUNS',
  'COLD_RUNS',
  'THROUGHPUT_S',
  'CONNECTIONS',
  'RATE',
  'RATE_S',
  'CAPTURE_DOCS',
  'EPCS',
  'JOURNAL_EVENTS',
  'SERVER_WASM',
  'DIR',
  'SECTIONS',
  'LOG_LEVEL',
]);

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, step = 1): number {
  const text = env[`BENCH_WASMEDGE_${key}`];
  if (text === undefined || text === '') return fallback;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min || value % step !== 0) {
    throw new Error(`BENCH_WASMEDGE_${key} must be a whole number ≥ ${min} and a multiple of ${step}`);
  }
  return value;
}

export function readSettings(env: NodeJS.ProcessEnv): Readonly<WasmEdgeBenchSettings> {
  for (const name of Object.keys(env)) {
    if (name.startsWith('BENCH_WASMEDGE_') && !KNOWN.has(name.slice('BENCH_WASMEDGE_'.length))) {
      throw new Error(`unknown setting ${name}`);
    }
  }
  const quick = env['BENCH_WASMEDGE_QUICK'] === '1';
  const sections = (env['BENCH_WASMEDGE_SECTIONS'] ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
  for (const section of sections) {
    if (!SECTIONS.includes(section as Section)) {
      throw new Error(`BENCH_WASMEDGE_SECTIONS: unknown section ${section} (${SECTIONS.join(', ')})`);
    }
  }
  return Object.freeze({
    quick,
    runs: integer(env, 'RUNS', 3, 3),
    coldRuns: integer(env, 'COLD_RUNS', quick ? 10 : 20, 1),
    throughputS: integer(env, 'THROUGHPUT_S', quick ? 2 : 5, 1),
    connections: integer(env, 'CONNECTIONS', 64, 1),
    ratePerS: integer(env, 'RATE', 2000, 1),
    rateS: integer(env, 'RATE_S', quick ? 4 : 10, 1),
    captureDocuments: integer(env, 'CAPTURE_DOCS', quick ? 16 : 48, 1),
    epcs: integer(env, 'EPCS', quick ? 100_000 : 1_000_000, 10_000, 10_000),
    journalEvents: integer(env, 'JOURNAL_EVENTS', quick ? 20_000 : 100_000, 1000, 1000),
    serverWasm: resolve(env['BENCH_WASMEDGE_SERVER_WASM'] ?? join(REPO_ROOT, 'build/tracker-server.wasm')),
    workDir: resolve(env['BENCH_WASMEDGE_DIR'] ?? join(tmpdir(), 'edgetrace-bench-wasmedge')),
    sections: sections as Section[],
    logLevel: env['BENCH_WASMEDGE_LOG_LEVEL'] ?? 'info',
  });
}
