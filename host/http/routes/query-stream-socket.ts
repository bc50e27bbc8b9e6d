// The WebSocket side of GET /queries/{name}/events: the subscription controls of the query string
// (stream=true, initialRecordTime; schedules are for webhooks), the cap on open live streams (shared
// with GET /events/stream), the GS1-Query-Min-Record-Time header of the 101, and opening the
// WebSocketStream once upgraded.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { StreamSlots } from '../../live/stream-slots.js';
import type { EventFeedPort } from '../../queries/feed-port.js';
import type { NamedQueries } from '../../queries/named-queries.js';
import { startPosition, subscriptionQuery } from '../../queries/subscription-reader.js';
import { WebSocketStream, type WebSocketStreamOptions } from '../../queries/websocket-stream.js';
import { parseInstantMs } from '../../query/parse-scalar-values.js';
import type { EventQueryDeps } from './event-query-responder.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { problem, sendProblem } from '../problem.js';
import { sendStreamsFull } from './stream-routes.js';

export interface QueryStreamDeps extends Pick<EventQueryDeps, 'db' | 'canon' | 'metrics'> {
  namedQueries: NamedQueries;
  feed: EventFeedPort;
  webSocket: Pick<
    WebSocketStreamOptions,
    'batchLimit' | 'batchBytes' | 'maxBufferedBytes' | 'stallMs' | 'catchUp'
  > & {
    /** The cap on open live streams, shared with GET /events/stream. */
    slots: StreamSlots;
  };
}

// WebSocket close code 1013 (Try Again Later): a stream that lost the race for the last slot
// between the upgrade check and the upgrade.
const CLOSE_TRY_AGAIN_LATER = 1013;

type Params = Record<string, string | string[]>;

// Set by the preHandler on the raw request; the ws server writes it into the 101 (and the stream
// starts from that very instant).
const MIN_RECORD_TIME = Symbol('gs1-query-min-record-time');
type UpgradeRequest = IncomingMessage & { [MIN_RECORD_TIME]?: number };

/** Adds GS1-Query-Min-Record-Time to the 101 of every subscription upgrade. */
export function announceMinRecordTime(app: FastifyInstance): void {
  app.websocketServer.on('headers', (headers: string[], request: UpgradeRequest) => {
    const minRecordTime = request[MIN_RECORD_TIME];
    if (minRecordTime !== undefined) {
      headers.push(`GS1-Query-Min-Record-Time: ${new Date(minRecordTime).toISOString()}`);
    }
  });
}

/**
 * Checks the controls and the stream cap before the upgrade: the problem answer sent (400
 * SubscriptionControlsException, or 503 with Retry-After while LIVE_MAX_STREAMS are open), or null
 * when the upgrade may go ahead.
 */
export function prepareUpgrade(
  request: FastifyRequest,
  reply: FastifyReply,
  slots: StreamSlots,
): FastifyReply | null {
  const controls = webSocketControls(request.query as Params);
  if (typeof controls === 'string')
    return sendProblem(reply, problem('SubscriptionControlsException', controls));
  if (!slots.available()) {
    slots.refused('websocket');
    return sendStreamsFull(reply, slots.max);
  }
  (request.raw as UpgradeRequest)[MIN_RECORD_TIME] = controls.initialRecordTimeMs ?? Date.now();
  return null;
}

/** The query-string controls of a WebSocket subscription: stream=true, optionally initialRecordTime. */
function webSocketControls(params: Params): { initialRecordTimeMs: number | null } | string {
  const scheduled = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek', 'reportIfEmpty'].find(
    (k) => k in params,
  );
  if (scheduled !== undefined) {
    return `${scheduled}: scheduled results are delivered by webhook (POST /queries/{name}/subscriptions with a schedule); a WebSocket streams, with stream=true`;
  }
  if (params['stream'] !== 'true')
    return 'stream must be true: a WebSocket subscription streams every new matching event';
  const initial = params['initialRecordTime'];
  if (initial === undefined) return { initialRecordTimeMs: null };
  const instant = typeof initial === 'string' ? parseInstantMs(initial) : null;
  if (instant === null || !instant.ok)
    return `initialRecordTime ${instant?.detail ?? 'is given more than once'}`;
  return { initialRecordTimeMs: instant.value };
}

export function openStream(socket: WebSocket, request: FastifyRequest, deps: QueryStreamDeps): void {
  const { name } = request.params as { name: string };
  const named = deps.namedQueries.eventQuery(name);
  const controls = webSocketControls(request.query as Params);
  const format = negotiateEpcFormat(request.headers['gs1-epc-format']);
  // The preHandler checked all of this; a query deleted in between ends the stream at once.
  if (named === null || typeof controls === 'string' || !format.ok) {
    socket.close(1008, 'the named query no longer exists');
    return;
  }
  const release = deps.webSocket.slots.acquire('websocket');
  if (release === null) {
    socket.close(CLOSE_TRY_AGAIN_LATER, 'too many live streams are open; reconnect in a few seconds');
    return;
  }
  socket.on('close', release);
  // The instant the 101 announced as GS1-Query-Min-Record-Time.
  const initialRecordTimeMs =
    (request.raw as UpgradeRequest)[MIN_RECORD_TIME] ?? controls.initialRecordTimeMs ?? Date.now();
  const stream = new WebSocketStream(
    socket,
    subscriptionQuery(named.query),
    startPosition(deps.db, initialRecordTimeMs, deps.feed.headSeq()),
    {
      db: deps.db,
      feed: deps.feed,
      metrics: deps.metrics,
      format: format.format,
      toDigitalLink: deps.canon.toDigitalLink,
      ...deps.webSocket,
    },
  );
  const forget = deps.namedQueries.track(name, stream);
  socket.on('close', forget);
  stream
    .start()
    .catch((error: unknown) =>
      request.log.error({ err: error, query: name }, 'WebSocket subscription failed'),
    );
}
