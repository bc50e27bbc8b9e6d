// The tracking benchmark's request streams, served to the service benchmark's generic load
// generators (bench/service/load/open-loop.ts, closed-loop.ts) through their request source:
// state lookups over the seeded items, and events stamped with their send time for the live feed.
import type { BenchRequest } from '../../service/load/request-source.js';
import { stampedEvent, statePath } from '../dataset.js';

export type TrackingStream =
  { kind: 'state-lookup'; epcs: number; first: number } | { kind: 'stamped-event'; first: number };

export function trackingRequestSource(stream: TrackingStream): (k: number) => BenchRequest {
  switch (stream.kind) {
    case 'state-lookup':
      return (k) => ({ method: 'GET', path: statePath(stream.first + k, stream.epcs) });
    case 'stamped-event':
      // n = k: the subscribers index their per-event tallies by the request's place in the run.
      return (k) => ({ method: 'POST', path: '/events', body: stampedEvent(stream.first + k, k) });
  }
}
