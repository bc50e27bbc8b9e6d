// What the server counts as it runs, for GET /metrics/server (metrics-page.ts). Everything is a
// global: the event loop collects garbage and the minimal runtime does not scan the stack. The
// recording calls are on the request path, so they only add to numbers (a map insert the first time
// a route answers a new status).
import { Histogram } from './histogram';
import { ROUTE_LABELS, RouteLabel } from './route-label';

// Request latency for an objective of P99 ≤ 30 ms: 0.03 is a bound, so the share of requests within
// it is read off one bucket, and the buckets around it are close enough to see a drift towards it.
const REQUEST_BOUNDS_NS: StaticArray<u64> = [
  250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 20_000_000, 30_000_000, 50_000_000,
  100_000_000, 250_000_000, 1_000_000_000,
];
const REQUEST_BOUND_LABELS: StaticArray<string> = [
  '0.00025',
  '0.0005',
  '0.001',
  '0.0025',
  '0.005',
  '0.01',
  '0.02',
  '0.03',
  '0.05',
  '0.1',
  '0.25',
  '1',
];
// fdatasync of the journal: tens of microseconds on tmpfs and NVMe, milliseconds on SD cards and
// network disks; each turn's answers wait for it.
const SYNC_BOUNDS_NS: StaticArray<u64> = [
  50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 100_000_000,
  1_000_000_000,
];
const SYNC_BOUND_LABELS: StaticArray<string> = [
  '0.00005',
  '0.0001',
  '0.00025',
  '0.0005',
  '0.001',
  '0.0025',
  '0.005',
  '0.01',
  '0.025',
  '0.1',
  '1',
];

export const enum ForwardOutcome {
  Ok,
  /** The sidecar could not be reached (503). */
  Unreachable,
  /** No answer within FORWARD_TIMEOUT_MS (504). */
  TimedOut,
  /** The sidecar's answer broke off after its head: the client connection was closed. */
  Cut,
}

export const FORWARD_OUTCOMES: StaticArray<string> = ['ok', '503', '504', 'cut'];

/** route * 1000 + status → requests answered. */
export const requestCounts = new Map<i32, u64>();
export const requestDurations = new Array<Histogram>();
for (let i = 0; i < ROUTE_LABELS.length; i++) {
  requestDurations.push(new Histogram(REQUEST_BOUNDS_NS, REQUEST_BOUND_LABELS));
}
export const journalSyncDurations = new Histogram(SYNC_BOUNDS_NS, SYNC_BOUND_LABELS);
export const forwardCounts = new StaticArray<u64>(4);

export class ServerCounters {
  connectionsAccepted: u64 = 0;
  /** Accepted and closed at once (past maxConnections with no idle connection to give way), or not accepted (out of descriptors). */
  connectionsRefused: u64 = 0;
  connectionsClosed: u64 = 0;
  /** Idle keep-alive connections closed to make room for a new one (at maxConnections or out of descriptors). */
  idleConnectionsClosed: u64 = 0;
  /** The journal's last seq when the server started: records appended since = lastSeq − this. */
  journalSeqAtStart: u64 = 0;
  startTimeMs: i64 = 0;
}

export const counters = new ServerCounters();

export function recordRequest(route: RouteLabel, status: i32, durationNs: u64): void {
  const key = <i32>route * 1000 + status;
  requestCounts.set(key, requestCounts.has(key) ? requestCounts.get(key) + 1 : 1);
  unchecked(requestDurations[<i32>route]).observe(durationNs);
}

export function recordForward(outcome: ForwardOutcome): void {
  unchecked((forwardCounts[<i32>outcome] += 1));
}

/** A failed fdatasync is not counted: it ends the process (event-loop.ts), which shows as a restart. */
export function recordJournalSync(durationNs: u64): void {
  journalSyncDurations.observe(durationNs);
}

/** After the journal's replay, before the port opens. */
export function markServerStart(journalLastSeq: u64, nowMs: i64): void {
  counters.journalSeqAtStart = journalLastSeq;
  counters.startTimeMs = nowMs;
}

export function connectionAccepted(): void {
  counters.connectionsAccepted++;
}

export function connectionRefused(): void {
  counters.connectionsRefused++;
}

export function idleConnectionClosed(): void {
  counters.idleConnectionsClosed++;
}

export function connectionClosed(): void {
  counters.connectionsClosed++;
}

export function openConnectionCount(): u64 {
  return counters.connectionsAccepted - counters.connectionsClosed;
}
