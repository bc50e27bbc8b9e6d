// The `route` label of a request: the Node service's route template for the native routes (fastify's
// routeOptions.url, so one dashboard query covers both hosts), `forwarded` for what the sidecar
// answers, `unmatched` (Node's word) for a request refused before it could be routed.
import { HttpRequest } from '../http-request';
import { Native, nativeRoute } from '../native-routes';

export const enum RouteLabel {
  Health,
  Ready,
  ServerMetrics,
  Capture,
  Job,
  State,
  Contents,
  Events,
  Forwarded,
  Unmatched,
}

export const ROUTE_LABELS: StaticArray<string> = [
  '/health',
  '/ready',
  '/metrics/server',
  '/capture',
  '/capture/:captureID',
  '/epcs/:value/state',
  '/epcs/:value/contents',
  '/events',
  'forwarded',
  'unmatched',
];

export function routeLabelOf(req: HttpRequest): RouteLabel {
  switch (nativeRoute(req)) {
    case Native.Health:
      return RouteLabel.Health;
    case Native.Ready:
      return RouteLabel.Ready;
    case Native.ServerMetrics:
      return RouteLabel.ServerMetrics;
    case Native.Capture:
      return RouteLabel.Capture;
    case Native.Job:
      return RouteLabel.Job;
    case Native.State:
      return RouteLabel.State;
    case Native.Contents:
      return RouteLabel.Contents;
    case Native.Events:
      return RouteLabel.Events;
  }
  return RouteLabel.Forwarded;
}
