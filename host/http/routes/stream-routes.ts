// GET /events/stream: Server-Sent Events feed of newly stored events, filtered with the parameters
// of GET /events, resumable with Last-Event-ID (or ?lastEventId=). Registered beside GET
// /events/:eventID; the router prefers the static path (an eventID is a URI, never "stream").
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EventFeed, FeedSubscription } from '../../live/event-feed.js';
import { eventFrames } from '../../live/event-frames.js';
import { DEFAULT_SSE_TIMING, SseConnection, type SseTiming } from '../../live/sse-connection.js';
import { parseStreamRequest } from '../../live/stream-request.js';
import { STREAM_RETRY_AFTER_S, type StreamSlots } from '../../live/stream-slots.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { IdentifierCanon } from '../../query/event-query.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { versionHeaders } from '../gs1-headers.js';
import { problem, sendProblem } from '../problem.js';

export const EVENT_STREAM_PATH = '/events/stream';

export interface StreamRoutesDeps {
  feed: EventFeed;
  canon: IdentifierCanon & { toDigitalLink(id: string): string };
  metrics: Metrics;
  /** The cap on open live streams, shared with the WebSocket subscriptions. */
  slots: StreamSlots;
  timing?: Partial<SseTiming>;
}

/** The 503 a stream gets while LIVE_MAX_STREAMS are open, with the Retry-After it should honour. */
export function sendStreamsFull(reply: FastifyReply, max: number): FastifyReply {
  reply.header('Retry-After', String(STREAM_RETRY_AFTER_S));
  return sendProblem(
    reply,
    problem(
      'ServiceUnavailableException',
      `${max} live streams are open, the most this service serves at once (LIVE_MAX_STREAMS); connect again in ${STREAM_RETRY_AFTER_S} s`,
    ),
  );
}

/** Whether an Accept header admits an event stream (EventSource sends text/event-stream). */
export function acceptsEventStream(accept: string): boolean {
  return /text\/event-stream|text\/\*|\*\/\*/.test(accept);
}

export function registerStreamRoutes(app: FastifyInstance, deps: StreamRoutesDeps): void {
  const timing: SseTiming = { ...DEFAULT_SSE_TIMING, ...deps.timing };
  const open = new Set<SseConnection>();

  // Streams never end by themselves: end them before the server waits for its connections to close.
  app.addHook('preClose', async () => {
    for (const connection of [...open]) connection.end('shutdown');
  });

  app.get(EVENT_STREAM_PATH, async (request, reply) => {
    const negotiated = negotiateEpcFormat(request.headers['gs1-epc-format']);
    if (!negotiated.ok) return sendProblem(reply, negotiated.problem);
    const format = negotiated.format;
    const parsed = parseStreamRequest(
      request.query as Record<string, string | string[]>,
      request.headers['last-event-id'],
      deps.canon,
      deps.feed.headSeq(),
    );
    if (!parsed.ok) return sendProblem(reply, parsed.problem);
    const headers = { ...versionHeaders(), 'GS1-EPC-Format': format };
    if (request.method === 'HEAD') {
      return reply.headers(headers).type('text/event-stream; charset=utf-8').send();
    }

    const release = deps.slots.acquire('sse');
    if (release === null) return sendStreamsFull(reply, deps.slots.max);

    reply.hijack();
    const connection = new SseConnection(reply.raw, timing);
    let subscription: FeedSubscription | null = null;
    connection.onEnd((reason) => {
      subscription?.close();
      open.delete(connection);
      release();
      deps.metrics.live.streamsClosed.inc({ reason });
      if (reason === 'stalled')
        deps.metrics.live.slowSubscribersDropped.inc({ transport: 'sse', reason: 'stall' });
      request.log.info({ reason, route: EVENT_STREAM_PATH }, 'event stream ended');
    });
    open.add(connection);
    connection.open(headers, parsed.afterSeq);
    deps.metrics.query.queries.inc({ endpoint: 'events/stream' });
    const toDl = deps.canon.toDigitalLink;
    try {
      subscription = deps.feed.subscribe(
        parsed.query,
        parsed.afterSeq,
        (rows) => connection.send(eventFrames(rows, format, toDl)),
        { onEnd: () => connection.end('feed-ended') },
      );
    } catch {
      // The feed closes only at shutdown, after HTTP; a request racing it just ends.
      connection.end('shutdown');
      return reply;
    }
    if (connection.endReason !== null) subscription.close();
    return reply;
  });
}
