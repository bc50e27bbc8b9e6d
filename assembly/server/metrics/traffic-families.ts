// The traffic half of GET /metrics/server: requests by route and status with their latency,
// client connections, and what was forwarded to the sidecar (counted in server-metrics.ts).
import { Utf8Writer } from '../../json/utf8-writer';
import { family, sample, single } from './prometheus-text';
import { ROUTE_LABELS } from './route-label';
import {
  FORWARD_OUTCOMES,
  counters,
  forwardCounts,
  openConnectionCount,
  requestCounts,
  requestDurations,
} from './server-metrics';

export function writeRequests(out: Utf8Writer): void {
  family(
    out,
    'edgetrace_server_requests_total',
    'counter',
    'HTTP requests answered, by route template and status code.',
  );
  const keys = requestCounts.keys();
  keys.sort((a: i32, b: i32): i32 => a - b);
  for (let i = 0; i < keys.length; i++) {
    const key = unchecked(keys[i]);
    const labels =
      'route="' + unchecked(ROUTE_LABELS[key / 1000]) + '",status="' + (key % 1000).toString() + '"';
    sample(out, 'edgetrace_server_requests_total', labels, requestCounts.get(key));
  }
  const duration = 'edgetrace_server_request_duration_seconds';
  family(
    out,
    duration,
    'histogram',
    'From the first byte of a request to its answer being complete in the output (the journal sync of a capture is in edgetrace_server_journal_fdatasync_duration_seconds), by route template.',
  );
  for (let i = 0; i < requestDurations.length; i++) {
    const histogram = unchecked(requestDurations[i]);
    if (histogram.count > 0) histogram.write(out, duration, 'route="' + unchecked(ROUTE_LABELS[i]) + '"');
  }
}

export function writeConnections(out: Utf8Writer): void {
  single(
    out,
    'edgetrace_server_open_connections',
    'gauge',
    'Client connections open now.',
    <u64>openConnectionCount(),
  );
  single(
    out,
    'edgetrace_server_connections_accepted_total',
    'counter',
    'Client connections accepted.',
    counters.connectionsAccepted,
  );
  single(
    out,
    'edgetrace_server_connections_refused_total',
    'counter',
    'Client connections refused: closed at once past maxConnections with none idle to close instead, or not accepted (out of file descriptors with none idle).',
    counters.connectionsRefused,
  );
  single(
    out,
    'edgetrace_server_idle_connections_closed_total',
    'counter',
    'Idle keep-alive connections closed to let a new one in (at maxConnections or out of file descriptors).',
    counters.idleConnectionsClosed,
  );
}

export function writeForwarding(out: Utf8Writer): void {
  const name = 'edgetrace_server_forwarded_requests_total';
  family(
    out,
    name,
    'counter',
    'Requests forwarded to the sidecar, by outcome (ok, 503 unreachable, 504 timeout, cut mid-answer).',
  );
  for (let i = 0; i < FORWARD_OUTCOMES.length; i++) {
    sample(out, name, 'outcome="' + unchecked(FORWARD_OUTCOMES[i]) + '"', unchecked(forwardCounts[i]));
  }
}
