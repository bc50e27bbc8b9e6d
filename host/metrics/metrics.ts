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
    cacheTooLarge: new Counter({
      name: 'edgetrace_query_cache_too_large_total',
      help: 'Query answers larger than CACHE_MAX_ENTRY_BYTES: answered, not cached.',
      registers: [registry],
    }),
    cacheBytes: new Gauge({
      name: 'edgetrace_query_cache_bytes',
      help: 'Estimated memory held by cached query answers (bounded by CACHE_MAX_BYTES).',
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
    snapshotsRefused: new Counter({
      name: 'edgetrace_state_snapshots_refused_total',
      help: 'State snapshots discarded at start (the index was rebuilt from the store instead), by reason: checksum, version, invalid, unreadable, build (another tracker.wasm), store (another store), ahead (past the end of the store), no-store-seq.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
  const live = {
    subscribers: new Gauge({
      name: 'edgetrace_live_subscribers',
      help: 'Open live-feed subscriptions (GET /events/stream connections and other consumers).',
      registers: [registry],
    }),
    deliveredEvents: new Counter({
      name: 'edgetrace_live_delivered_events_total',
      help: 'Events handed to live-feed subscribers, counted once per subscriber.',
      registers: [registry],
    }),
    queryRuns: new Counter({
      name: 'edgetrace_live_query_runs_total',
      help: 'Live-feed SQL runs: shared by the subscribers of one query, or catching one subscriber up.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    fanOutDelay: new Histogram({
      name: 'edgetrace_live_fan_out_delay_seconds',
      help: 'From a group commit until its events were handed to every caught-up live subscriber.',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    streamsClosed: new Counter({
      name: 'edgetrace_live_streams_closed_total',
      help: 'GET /events/stream connections ended, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    streamsRejected: new Counter({
      name: 'edgetrace_live_streams_rejected_total',
      help: 'Live streams refused with 503 because LIVE_MAX_STREAMS were open, by transport (sse, websocket).',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    slowSubscribersDropped: new Counter({
      name: 'edgetrace_live_slow_subscribers_dropped_total',
      help: 'Live-stream subscribers disconnected for not reading, by transport and reason (buffer: over LIVE_MAX_BUFFERED_BYTES unread; stall: nothing read for too long).',
      labelNames: ['transport', 'reason'] as const,
      registers: [registry],
    }),
  };
  const subscriptions = {
    deliveries: new Counter({
      name: 'edgetrace_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (success: the receiver answered 2xx; failure: anything else).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'edgetrace_webhook_retries_total',
      help: 'Webhook deliveries attempted again after a failure (with backoff).',
      registers: [registry],
    }),
    events: new Counter({
      name: 'edgetrace_subscription_events_total',
      help: 'Events delivered to subscribers, by transport (webhook: acknowledged with 2xx; websocket: sent).',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    active: new Gauge({
      name: 'edgetrace_subscriptions',
      help: 'Active query subscriptions, by transport.',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
  };
  const sync = {
    outboxDepth: new Gauge({
      name: 'edgetrace_sync_outbox_depth',
      help: 'Outbox rows (captured events) the broker has not confirmed yet.',
      registers: [registry],
    }),
    outboxOldestAge: new Gauge({
      name: 'edgetrace_sync_outbox_oldest_age_seconds',
      help: 'Age of the oldest unconfirmed outbox row (0 when the outbox is drained).',
      registers: [registry],
    }),
    published: new Counter({
      name: 'edgetrace_sync_published_total',
      help: 'Event messages published to the broker (including re-publications after a reconnect).',
      registers: [registry],
    }),
    confirmed: new Counter({
      name: 'edgetrace_sync_confirmed_total',
      help: 'Event messages the broker confirmed; their outbox rows are marked sent.',
      registers: [registry],
    }),
    nacked: new Counter({
      name: 'edgetrace_sync_nacked_total',
      help: 'Event messages the broker refused (nack); they are published again.',
      registers: [registry],
    }),
    connectionState: new Gauge({
      name: 'edgetrace_sync_connection_state',
      help: 'Broker connection state per link (publish, consume): 1 for the current state, 0 for the others.',
      labelNames: ['link', 'state'] as const,
      registers: [registry],
    }),
    reconnects: new Counter({
      name: 'edgetrace_sync_reconnects_total',
      help: 'Broker connections re-established after a loss, per link.',
      labelNames: ['link'] as const,
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'edgetrace_sync_lag_seconds',
      help: 'Now minus the record time of the newest confirmed event while events wait in the outbox; 0 when it is drained.',
      registers: [registry],
    }),
    confirmLatency: new Histogram({
      name: 'edgetrace_sync_confirm_latency_seconds',
      help: 'From record time (capture) to broker confirm, per published event.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 600],
      registers: [registry],
    }),
    inbound: new Counter({
      name: 'edgetrace_sync_inbound_events_total',
      help: 'Events received from the broker by outcome: applied (stored), duplicate, dead_lettered.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
  const trace = {
    truncated: new Counter({
      name: 'edgetrace_trace_truncated_total',
      help: 'GET /trace walks that ended before the whole genealogy was read, by reason (node-limit, depth, edge-budget: TRACE_MAX_EDGES, time-budget: TRACE_MAX_TIME).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    refused: new Counter({
      name: 'edgetrace_trace_refused_total',
      help: 'GET /trace requests answered 503 because TRACE_MAX_CONCURRENT walks were running.',
      registers: [registry],
    }),
  };
  const logs = {
    droppedLines: new Counter({
      name: 'edgetrace_log_lines_dropped_total',
      help: 'Log lines not written to stdout, by reason: backlog (the reader is not keeping up), write_error (the reader has gone).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
  const journal = {
    stored: new Counter({
      name: 'edgetrace_journal_records_stored_total',
      help: 'Journal records of tracker-server.wasm the sidecar has stored (duplicates by event ID included: each record once).',
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'edgetrace_journal_tail_lag_records',
      help: "Journal records not stored yet: the journal's last intact seq minus the stored seq.",
      registers: [registry],
    }),
  };
  return { registry, http, capture, query, sqlite, core, subscriptions, live, sync, trace, logs, journal };
}

export type Metrics = ReturnType<typeof createMetrics>;
