// What a load generator sends: the k-th request of a stream. Each stream is described by plain JSON
// so the orchestrator can hand it to a generator process, and every request in it is distinct
// (a repeated event would be refused as a duplicate; a repeated query could be answered from cache).
import { type TrackingStream, trackingRequestSource } from '../../tracking/load/tracking-requests.js';
import { type QueryKind, queryPath, singleEvent } from '../payloads.js';

export type RequestStream =
  | { kind: 'single-event'; first: number }
  | { kind: 'query'; query: QueryKind; events: number; first: number }
  | TrackingStream;

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export const JSON_LD = 'application/ld+json';

export function requestSource(stream: RequestStream): (k: number) => BenchRequest {
  switch (stream.kind) {
    case 'single-event':
      return (k) => ({ method: 'POST', path: '/events', body: singleEvent(stream.first + k) });
    case 'query':
      return (k) => ({ method: 'GET', path: queryPath(stream.query, stream.first + k, stream.events) });
    default:
      return trackingRequestSource(stream);
  }
}
