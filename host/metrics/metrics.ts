// Every metric the service exposes, in one registry we own (not prom-client's global one). Names
// carry their units; components receive only the metrics they use.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'edgetrace_' });
  const http = {
    requests: new Counter({
      name: 'edgetrace_http_requests_total',
      help: 'HTTP requests by route template, method and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'edgetrace_http_request_duration_seconds',
      help: 'HTTP request latency by route template and method.',
      labelNames: ['method', 'route'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
  const capture = {
    events: new Counter({
      name: 'edgetrace_captured_events_total',
      help: 'Events stored by capture (POST /capture and POST /events).',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'edgetrace_duplicate_events_total',
      help: 'Captured events already stored (same eventID), not stored again.',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'edgetrace_rejected_events_total',
      help: 'Events refused at capture, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'edgetrace_capture_jobs_total',
      help: 'Capture jobs by outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
  const query = {
    queries: new Counter({
      name: 'edgetrace_queries_total',
      help: 'Event queries answered, by endpoint.',
      labelNames: ['endpoint'] as const,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'edgetrace_query_cache_hits_total',
      help: 'Query answers served from the result cache.',
      registers: [registry],
    }),
  };
  const sqlite = {
    commitDuration: new Histogram({
      name: 'edgetrace_sqlite_commit_duration_seconds',
      help: 'Duration of one group-commit transaction.',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    commitEvents: new Histogram({
      name: 'edgetrace_sqlite_commit_events',
      help: 'Events written per group-commit transaction.',
      buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000, 10000],
      registers: [registry],
    }),
    queryDuration: new Histogram({
      name: 'edgetrace_sqlite_query_duration_seconds',
      help: 'Duration of event queries against SQLite.',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
  const core = {
    prepareDuration: new Histogram({
      name: 'edgetrace_core_prepare_duration_seconds',
      help: 'tracker.wasm time to parse, validate, normalise and hash one request document.',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    traps: new Counter({
      name: 'edgetrace_core_traps_total',
      help: 'tracker.wasm traps (each replaced the instance and rebuilt the state).',
      registers: [registry],
    }),
    stateEpcs: new Gauge({
      name: 'edgetrace_state_index_epcs',
      help: 'EPCs tracked in the in-memory state index.',
      registers: [registry],
    }),
    stateBytes: new Gauge({
      name: 'edgetrace_state_index_bytes',
      help: 'Bytes held by the state index inside tracker.wasm.',
      registers: [registry],
    }),
    wasmMemoryBytes: new Gauge({
      name: 'edgetrace_core_wasm_memory_bytes',
      help: 'Size of tracker.wasm linear memory.',
      registers: [registry],
    }),
  };
  return { registry, http, capture, query, sqlite, core };
}

export type Metrics = ReturnType<typeof createMetrics>;
