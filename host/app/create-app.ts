// Builds the HTTP application from its parts. The app is a value: tests call it in-process with
// app.inject(); listening, signals and shutdown belong to host/main.ts.
import fastifyWebsocket from '@fastify/websocket';
import type { Database } from 'better-sqlite3';
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticate.js';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter.js';
import { registerAccessControl } from '../auth/fastify-auth.js';
import type { Scope } from '../auth/scopes.js';
import type { CaptureService } from '../capture/capture-service.js';
import type { Config } from '../config/config.js';
import type { TrackerCore } from '../core/gateway.js';
import { captureLimitHeaders, registerGs1Headers } from '../http/gs1-headers.js';
import { createIdentifierCanon } from '../http/identifier-canon.js';
import { registerMethodRouting } from '../http/method-routing.js';
import { registerBodyEncodingCheck } from '../http/body-encoding.js';
import { problem, sendProblem } from '../http/problem.js';
import { serverLimitOptions } from '../http/server-limits.js';
import { registerUpgradeDispatch } from '../http/upgrade-dispatch.js';
import { registerCaptureRoutes } from '../http/routes/capture-routes.js';
import { CONSOLE_PUBLIC_PATHS, registerConsoleRoutes } from '../http/routes/console-routes.js';
import {
  PUBLIC_PATHS,
  registerOperationsRoutes,
  type SyncStatusSource,
} from '../http/routes/operations-routes.js';
import { registerQueryRoutes } from '../http/routes/query-routes.js';
import { registerTrackingRoutes } from '../http/routes/tracking-routes.js';
import { acceptsEventStream, EVENT_STREAM_PATH, registerStreamRoutes } from '../http/routes/stream-routes.js';
import type { EventFeed } from '../live/event-feed.js';
import { registerNamedQueryRoutes } from '../http/routes/named-query-routes.js';
import type { NamedQueries } from '../queries/named-queries.js';
import type { Readiness } from '../lifecycle/readiness.js';
import { logRequest } from '../logging/request-log.js';
import type { Metrics } from '../metrics/metrics.js';
import { QueryCache } from '../query-cache/query-cache.js';
import { StreamSlots } from '../live/stream-slots.js';
import type { CaptureJobs } from '../store/capture-jobs.js';
import { acceptsXmlAnswer } from '../xml/answer-format.js';
import { registerXmlBodyParser } from '../xml/xml-capture-body.js';
import { StoreClosedError, StoreUnavailableError } from '../store/errors.js';
import type { EventReader } from '../store/event-reader.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  db: Database;
  core: TrackerCore;
  capture: CaptureService;
  jobs: CaptureJobs;
  reader: EventReader;
  metrics: Metrics;
  readiness: Readiness;
  authenticator: Authenticator | null;
  pageTokenSecret: Uint8Array;
  feed: EventFeed;
  namedQueries: NamedQueries;
  /** Sync status for GET /health/sync and the sync gauges of /metrics. */
  sync?: SyncStatusSource;
}

const JSON_TYPES = ['application/json', 'application/ld+json'];
/** Accept values some answer of this service satisfies (GET /events/stream adds text/event-stream). */
const ANSWERED_TYPES = /(\*\/\*|application\/(\*|json|ld\+json|problem\+json)|text\/plain)/;
const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;
// A subscriber never needs to send more than a close frame or a ping.
const WEBSOCKET_MAX_CLIENT_MESSAGE_BYTES = 4096;
// Per WebSocket subscription: events per batch (LIVE_BATCH_BYTES bounds their bytes).
const WEBSOCKET_BATCH_EVENTS = 1000;

/** Which scope each route needs: capture for writing and reading capture jobs, query for reading events. */
export function scopeForRoute(method: string, url: string): Scope | null {
  if (method === 'OPTIONS') return null;
  if (url.startsWith('/capture') || (method === 'POST' && url === '/events')) return 'capture';
  // Defining and deleting named queries and every webhook subscription route are administration:
  // a subscription makes this service POST data to a URL of the caller's choosing. Reading a named
  // query, its results and a WebSocket subscription (GET /queries/{name}/events with Upgrade) only
  // read events over the caller's own connection and store nothing, so they need `query`.
  if (url.startsWith('/queries/:name/subscriptions')) return 'admin';
  if (url.startsWith('/queries') && (method === 'POST' || method === 'DELETE')) return 'admin';
  return 'query';
}

function translateFrameworkError(error: FastifyError, limitBytes: number) {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(
        'CaptureLimitExceededException',
        `the request body is larger than ${limitBytes} bytes (GS1-EPCIS-Capture-File-Size-Limit)`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        'UnsupportedMediaTypeException',
        'send the body as application/json, application/ld+json or (capture only) application/xml',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('ValidationException', 'the request body is empty; send an EPCIS document or event');
    // The router refuses these before any hook runs (frameworkErrors below).
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem('URITooLongException', 'a path segment of the request URL is too long');
    case 'FST_ERR_BAD_URL':
      return problem('ValidationException', 'the request URL holds a malformed percent-encoding');
    default:
      return null;
  }
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, metrics } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    // The request log is written by the onResponse hook below (host/logging/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.captureLimitBytes,
    // Header and request timeouts, the request head size, and problem+json for what fails before routing.
    ...serverLimitOptions({
      maxUrlLength: config.maxUrlLength,
      headersTimeoutMs: config.httpHeadersTimeoutMs,
      requestTimeoutMs: config.httpRequestTimeoutMs,
    }),
    routerOptions: { maxParamLength: config.maxUrlLength },
    // As tracker-server.wasm's sidecar every forwarded request comes from loopback, with the client's
    // address in X-Forwarded-For (the server drops any a client sent): request.ip is then the client,
    // so the failed-auth limit counts each client alone. Otherwise the header is a client's own
    // claim, and trusting it would let a guessing client pick a fresh address for every guess.
    trustProxy: config.journalTail ? 'loopback' : false,
    // Requests arriving during shutdown get our own problem+json 503 (onRequest below), not fastify's.
    return503OnClosing: false,
    frameworkErrors: (error, _request, reply) =>
      sendProblem(
        reply,
        translateFrameworkError(error, config.captureLimitBytes) ??
          problem('ValidationException', error.message),
      ),
  }) as unknown as FastifyInstance;

  // Bodies stay raw bytes: the core parses them, and slices each event's original text from them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // XML capture bodies stream through a converter into the same JSON bytes (host/xml).
  registerXmlBodyParser(app, {
    maxBytes: config.captureLimitBytes,
    maxEvents: config.captureLimitEvents,
    maxDepth: config.xmlMaxDepth,
  });

  // The hooks every request passes through take the callback form: an async hook costs a promise
  // and a microtask per request, and these never wait for anything. One that answers does not call
  // done() and returns nothing (a returned reply is a thenable: fastify would wait on it).
  app.addHook('onRequest', (request, reply, done) => {
    if (deps.readiness.shuttingDown) {
      reply.header('Connection', 'close');
      sendProblem(
        reply,
        problem(
          'ServiceUnavailableException',
          'the service is shutting down; send the request again in a moment',
        ),
      );
      return;
    }
    if (request.url.length > config.maxUrlLength) {
      sendProblem(
        reply,
        problem(
          'URITooLongException',
          `the request URL is ${request.url.length} characters; the limit is ${config.maxUrlLength}`,
        ),
      );
      return;
    }
    const accept = request.headers.accept;
    if (
      accept !== undefined &&
      !ANSWERED_TYPES.test(accept) &&
      !(request.routeOptions.url === EVENT_STREAM_PATH && acceptsEventStream(accept)) &&
      !acceptsXmlAnswer(request.routeOptions.url, accept)
    ) {
      sendProblem(
        reply,
        problem(
          'NotAcceptableException',
          'this server answers application/json, application/ld+json or application/problem+json',
        ),
      );
      return;
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    metrics.http.requests.inc({ method: request.method, route, status: String(status) });
    metrics.http.duration.observe({ method: request.method, route }, ms / 1000);
    logRequest(
      deps.logger,
      request.log,
      () => ({
        method: request.method,
        route,
        url: request.url.split('?')[0]!,
        status,
        ms: Math.round(ms * 100) / 100,
      }),
      { status, ms, slowMs: config.logSlowRequestMs },
    );
    done();
  });
  registerGs1Headers(app);
  registerAccessControl(app, {
    authenticator: deps.authenticator,
    publicPaths: [...PUBLIC_PATHS, ...CONSOLE_PUBLIC_PATHS],
    scopeForRoute,
    failedAuth: new FailedAuthLimiter({
      maxFailures: config.authFailureLimit,
      windowMs: config.authFailureWindowMs,
    }),
  });
  registerBodyEncodingCheck(app);

  const limitHeaders = captureLimitHeaders({
    maxEvents: config.captureLimitEvents,
    maxBytes: config.captureLimitBytes,
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = translateFrameworkError(error, config.captureLimitBytes);
    if (known?.type === 'epcisException:CaptureLimitExceededException') reply.headers(limitHeaders);
    if (known !== null) return sendProblem(reply, known);
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendProblem(reply, problem('ValidationException', error.message), error.statusCode);
    }
    // A write the store could not make (disk full, lock timeout, shutting down) is the site's
    // trouble, not the request's: 503 with Retry-After, as capture answers it, on every route.
    if (error instanceof StoreUnavailableError || error instanceof StoreClosedError) {
      request.log.warn({ err: error }, 'store could not write');
      reply.header('retry-after', '5');
      return sendProblem(
        reply,
        problem(
          'ServiceUnavailableException',
          'the store cannot write right now; nothing was changed, retry later',
        ),
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      reply,
      problem('ImplementationException', 'the server failed to handle the request; it has been logged'),
    );
  });
  // OPTIONS, 405 and 404 are derived from the routes registered below (host/http/method-routing.ts).
  app.setNotFoundHandler(registerMethodRouting(app));

  const canon = createIdentifierCanon(deps.core);
  registerOperationsRoutes(app, { readiness: deps.readiness, metrics, core: deps.core, sync: deps.sync });
  registerConsoleRoutes(app);
  registerCaptureRoutes(app, {
    capture: deps.capture,
    jobs: deps.jobs,
    limits: { maxEvents: config.captureLimitEvents, maxBytes: config.captureLimitBytes },
    toDigitalLink: canon.toDigitalLink,
  });
  // GET /events and the named queries read the same store; each answers from its own cache entries,
  // in one cache, so CACHE_MAX_BYTES bounds them together.
  const queryCache = new QueryCache({
    enabled: config.cacheEnabled,
    ttlMs: config.cacheTtlMs,
    maxBytes: config.cacheMaxBytes,
    maxEntryBytes: config.cacheMaxEntryBytes,
    onTooLarge: () => metrics.query.cacheTooLarge.inc(),
    onBytes: (bytes) => metrics.query.cacheBytes.set(bytes),
  });
  const eventQuerying = () => ({
    db: deps.db,
    canon,
    metrics,
    cache: queryCache,
    pageTokenSecret: deps.pageTokenSecret,
    pageTokenTtlMs: PAGE_TOKEN_TTL_MS,
    storeVersion: () => deps.reader.maxSeq(),
    pageMaxBytes: config.queryPageMaxBytes,
  });
  registerQueryRoutes(app, {
    ...eventQuerying(),
    reader: deps.reader,
    trackingEnabled: config.trackingEnabled,
  });
  // TRACKING_ENABLED=false keeps no state index, so there is nothing to answer these from.
  if (config.trackingEnabled)
    registerTrackingRoutes(app, {
      db: deps.db,
      core: deps.core,
      canon,
      cache: { enabled: config.cacheEnabled, ttlMs: config.cacheTtlMs },
      pageTokenSecret: deps.pageTokenSecret,
      pageTokenTtlMs: PAGE_TOKEN_TTL_MS,
      traceWork: {
        maxEdges: config.traceMaxEdges,
        maxMs: config.traceMaxTimeMs,
        maxConcurrent: config.traceMaxConcurrent,
      },
      metrics: metrics.trace,
    });
  // One cap for SSE and WebSocket streams together.
  const streamSlots = new StreamSlots(config.liveMaxStreams, metrics.live);
  registerStreamRoutes(app, {
    feed: deps.feed,
    canon,
    metrics,
    slots: streamSlots,
    timing: { stallTimeoutMs: config.liveStallTimeoutMs },
  });
  // Before the plugin: only WebSocket handshakes for WebSocket routes go to it (upgrade-dispatch.ts).
  registerUpgradeDispatch(app);
  // Before the named-query routes: the plugin's onRoute hook turns their wsHandler into an upgrade.
  await app.register(fastifyWebsocket, { options: { maxPayload: WEBSOCKET_MAX_CLIENT_MESSAGE_BYTES } });
  registerNamedQueryRoutes(app, {
    ...eventQuerying(),
    namedQueries: deps.namedQueries,
    feed: deps.feed,
    webSocket: {
      batchLimit: WEBSOCKET_BATCH_EVENTS,
      batchBytes: config.liveBatchBytes,
      // Unread data older than the batch just sent: with the flush wait, more than a batch means
      // the client is not reading.
      maxBufferedBytes: config.liveBatchBytes,
      stallMs: config.liveStallTimeoutMs,
      catchUp: deps.feed.catchUpShare,
      slots: streamSlots,
    },
  });
  return app;
}
