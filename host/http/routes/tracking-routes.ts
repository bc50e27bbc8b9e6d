// The tracking API (contracts.md §A): where an item is (GET /epcs/{epc}/state, now or ?asOf), what
// a container holds (GET /epcs/{epc}/contents) and where things came from or went (GET /trace/{epc}).
// Current answers come from the core's in-memory state index, never from scanning tables; the past
// and genealogy come from stored events through indexed lookups (host/tracking).
//
// Identifiers are answered in the canonical form the index holds (GS1 Digital Link for GS1 keys):
// the index keeps no "as captured" spelling, so Never_Translates / No_Preference get the same
// answer as the default, and Always_EPC_URN is refused with 406 like everywhere else.
import type { Database } from 'better-sqlite3';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TrackerCore } from '../../core/gateway.js';
import type { Metrics } from '../../metrics/metrics.js';
import { parseInstantMs } from '../../query/parse-scalar-values.js';
import type { Direction } from '../../tracking/genealogy-edges.js';
import { stateAnswerAsOf } from '../../tracking/state-as-of.js';
import { issueTraceToken, openTraceToken } from '../../tracking/trace-page-token.js';
import { TRACE_NODE_LIMIT } from '../../tracking/trace.js';
import { TraceService } from '../../tracking/trace-service.js';
import type { TracePage } from '../../tracking/trace-view.js';
import { TrackingStore } from '../../tracking/tracking-store.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { readPageSize } from '../page-size.js';
import { problem, sendProblem } from '../problem.js';
import { tracePageBody } from './trace-page-body.js';

export interface TrackingRoutesDeps {
  db: Database;
  core: TrackerCore;
  canon: { canonical(id: string): string; isInvalid(id: string): boolean };
  cache: { enabled: boolean; ttlMs: number };
  pageTokenSecret: Uint8Array;
  pageTokenTtlMs: number;
  /** Most nodes one trace collects (TRACE_NODE_LIMIT; tests lower it). */
  traceNodeLimit?: number;
  /** TRACE_MAX_EDGES, TRACE_MAX_TIME, TRACE_MAX_CONCURRENT. */
  traceWork: { maxEdges: number; maxMs: number; maxConcurrent: number };
  metrics: Metrics['trace'];
}

export const CONTENTS_MAX_DEPTH = 32;
/** Most nodes of one contents tree; a larger tree is cut and marked truncated. */
export const CONTENTS_NODE_LIMIT = 100_000;
export const TRACE_DEFAULT_DEPTH = 16;
export const TRACE_MAX_DEPTH = 64;
// A trace page is about 250 bytes a node: 1,000 by default, at most 10,000 (larger perPage values
// are served 10,000 at a time, as GET /events serves its own ceiling).
export const TRACE_DEFAULT_PER_PAGE = 1000;
export const TRACE_MAX_PER_PAGE = 10_000;
// Full trace answers kept for their following pages: a few recalls at once, each up to ~20 MB.
const TRACE_CACHE_ENTRIES = 4;

type Query = Record<string, string | string[] | undefined>;

function single(query: Query, name: string): string | undefined | null {
  const value = query[name];
  return Array.isArray(value) ? null : value;
}

/** A whole number in [1, max] or `fallback` when absent; null when malformed. */
function readCount(raw: string | undefined, fallback: number, max: number): number | null {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return value >= 1 && value <= max ? value : null;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const sendJson = (reply: FastifyReply, body: Buffer) => reply.type(JSON_TYPE).send(body);

const badParameter = (reply: FastifyReply, parameter: string, detail: string) =>
  sendProblem(reply, problem('QueryParameterException', detail, { parameter }));

export function registerTrackingRoutes(app: FastifyInstance, deps: TrackingRoutesDeps): void {
  const { core, canon } = deps;
  const store = new TrackingStore(deps.db);
  const traces = new TraceService(
    core,
    store,
    {
      nodeLimit: deps.traceNodeLimit ?? TRACE_NODE_LIMIT,
      ...deps.traceWork,
      cache: { ...deps.cache, entries: TRACE_CACHE_ENTRIES },
    },
    deps.metrics,
  );

  const invalid = (reply: FastifyReply, id: string) =>
    badParameter(reply, 'epc', `"${id}" is not a valid EPC URI or GS1 Digital Link`);
  /** The problem for an identifier the index does not know: 400 when malformed, else 404. */
  const unknown = (reply: FastifyReply, id: string) =>
    canon.isInvalid(id)
      ? invalid(reply, id)
      : sendProblem(
          reply,
          problem(
            'NoSuchResourceException',
            `no event names ${id} as an item or container (lot classes and locations have no state; try GET /trace or GET /events)`,
          ),
        );

  const refuseFormat = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const negotiated = negotiateEpcFormat(request.headers['gs1-epc-format']);
    if (negotiated.ok) return false;
    void sendProblem(reply, negotiated.problem);
    return true;
  };

  // State and contents answers are written whole by the core (assembly/abi/state-answer.ts, in the
  // shape of tracking-schemas.ts) and sent as the bytes it wrote.
  app.get('/epcs/:value/state', async (request, reply) => {
    if (refuseFormat(request, reply)) return reply;
    const { value } = request.params as { value: string };
    const rawAsOf = single(request.query as Query, 'asOf');
    if (rawAsOf === null) return badParameter(reply, 'asOf', 'asOf may be given once');
    if (rawAsOf === undefined) {
      // The hot path: one call into the core, which canonicalises the identifier itself.
      const answer = core.stateAnswer(value);
      return answer === null ? unknown(reply, value) : sendJson(reply, answer);
    }
    // Stored times are whole milliseconds: digits beyond them are dropped, so asOf=…00.0009 still
    // excludes events at …00.001.
    const parsed = parseInstantMs(rawAsOf.replace(/(\.\d{3})\d+/, '$1'));
    if (!parsed.ok) return badParameter(reply, 'asOf', `asOf ${parsed.detail}`);
    if (canon.isInvalid(value)) return invalid(reply, value);
    const answer = stateAnswerAsOf(core, store, canon.canonical(value), parsed.value);
    return answer === null
      ? sendProblem(reply, problem('NoSuchResourceException', `no event up to ${rawAsOf} names ${value}`))
      : sendJson(reply, answer);
  });

  app.get('/epcs/:value/contents', async (request, reply) => {
    if (refuseFormat(request, reply)) return reply;
    const { value } = request.params as { value: string };
    const rawDepth = single(request.query as Query, 'depth');
    const depth = rawDepth === null ? null : readCount(rawDepth, 1, CONTENTS_MAX_DEPTH);
    if (depth === null)
      return badParameter(reply, 'depth', `depth must be a whole number from 1 to ${CONTENTS_MAX_DEPTH}`);
    const answer = core.contentsAnswer(value, depth, CONTENTS_NODE_LIMIT);
    return answer === null ? unknown(reply, value) : sendJson(reply, answer);
  });

  app.get('/trace/:epc', async (request, reply) => {
    if (refuseFormat(request, reply)) return reply;
    const { epc } = request.params as { epc: string };
    const query = request.query as Query;
    const direction = single(query, 'direction');
    if (direction !== 'forward' && direction !== 'backward')
      return badParameter(reply, 'direction', 'direction must be forward or backward');
    const rawDepth = single(query, 'depth');
    const depth = rawDepth === null ? null : readCount(rawDepth, TRACE_DEFAULT_DEPTH, TRACE_MAX_DEPTH);
    if (depth === null)
      return badParameter(reply, 'depth', `depth must be a whole number from 1 to ${TRACE_MAX_DEPTH}`);
    const readPerPage = readPageSize(query['perPage'], {
      defaultSize: TRACE_DEFAULT_PER_PAGE,
      ceiling: TRACE_MAX_PER_PAGE,
    });
    if (!readPerPage.ok) return sendProblem(reply, readPerPage.problem);
    const perPage = readPerPage.size;
    if (canon.isInvalid(epc)) return invalid(reply, epc);
    const origin = canon.canonical(epc);
    const fingerprint = JSON.stringify([origin, direction, depth]);
    const nowMs = Date.now();
    let position = { offset: 0, snapshotSeq: store.headSeq() };
    const rawToken = single(query, 'nextPageToken');
    if (rawToken === null) return badParameter(reply, 'nextPageToken', 'nextPageToken may be given once');
    if (rawToken !== undefined) {
      const opened = openTraceToken(rawToken, fingerprint, { secret: deps.pageTokenSecret, nowMs });
      if (!opened.ok) return badParameter(reply, 'nextPageToken', `nextPageToken ${opened.detail}`);
      position = opened.position;
    }
    const outcome = await traces.answer({
      origin,
      given: epc,
      direction: direction as Direction,
      depth,
      snapshotSeq: position.snapshotSeq,
    });
    if (outcome.kind === 'unknown')
      return sendProblem(reply, problem('NoSuchResourceException', `no stored event names ${epc}`));
    if (outcome.kind === 'busy') {
      reply.header('Retry-After', String(outcome.retryAfterS));
      return sendProblem(
        reply,
        problem(
          'ServiceUnavailableException',
          `every trace walk is taken (TRACE_MAX_CONCURRENT ${deps.traceWork.maxConcurrent}); retry after ${outcome.retryAfterS} s`,
        ),
      );
    }
    const { answer } = outcome;
    const end = position.offset + perPage;
    if (end < answer.nodes.length) {
      const { token, expiresAtMs } = issueTraceToken(
        { offset: end, snapshotSeq: position.snapshotSeq },
        fingerprint,
        { secret: deps.pageTokenSecret, nowMs, ttlMs: deps.pageTokenTtlMs },
      );
      const search = new URLSearchParams({ direction, depth: String(depth), perPage: String(perPage) });
      search.set('nextPageToken', token);
      reply.header('Link', `</trace/${encodeURIComponent(epc)}?${search.toString()}>; rel="next"`);
      reply.header('GS1-Next-Page-Token-Expires', new Date(expiresAtMs).toISOString());
    }
    const page: TracePage = {
      origin: answer.origin,
      direction,
      depth,
      total: answer.nodes.length,
      truncated: answer.truncation !== null,
      truncation: answer.truncation,
      summaryByLocation: answer.summaryByLocation,
      nodes: answer.nodes.slice(position.offset, end),
    };
    return reply.type(JSON_TYPE).send(tracePageBody(page, traces.turns));
  });
}
