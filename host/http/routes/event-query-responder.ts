// Answers one event query over HTTP: parameters → EventQuery, page token → keyset position, SQL →
// rows, rows → EPCISQueryDocument, with the Link / GS1-Next-Page-Token-Expires headers of the
// EPCIS pagination contract. Shared by GET /events and the resource views (/epcs/{epc}/events …).
import type { Database } from 'better-sqlite3';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';
import type { IdentifierCanon, PageKey } from '../../query/event-query.js';
import { issuePageToken, openPageToken } from '../../query/page-token.js';
import { parseEventQuery } from '../../query/parse-query.js';
import { runEventQuery } from '../../query/run-query.js';
import type { QueryCache } from '../../query-cache/query-cache.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { problem, sendProblem } from '../problem.js';
import { queryDocument } from '../query-document.js';

export interface EventQueryDeps {
  db: Database;
  canon: IdentifierCanon & { toDigitalLink(id: string): string };
  metrics: Metrics;
  cache: QueryCache;
  pageTokenSecret: Uint8Array;
  pageTokenTtlMs: number;
  storeVersion: () => number;
}

type Params = Record<string, string | string[]>;

function linkToNextPage(path: string, params: Params, token: string): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (name === 'nextPageToken') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  search.set('nextPageToken', token);
  return `<${path}?${search.toString()}>; rel="next"`;
}

/**
 * How a named query (GET /queries/{name}/events) differs from GET /events: its parameters come from
 * the stored definition, not the URL, so the answer carries the query's name, the next-page link
 * repeats only the URL's own parameters, and the cache key names the definition (a query deleted and
 * defined again under the same name must not be answered from the old one's cache entries).
 */
export interface NamedQueryView {
  queryName: string;
  urlParams: Params;
  definitionKey: string;
}

export function createEventQueryResponder(deps: EventQueryDeps) {
  return async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    params: Params,
    endpoint: string,
    named?: NamedQueryView,
  ): Promise<FastifyReply> {
    const negotiated = negotiateEpcFormat(request.headers['gs1-epc-format']);
    if (!negotiated.ok) return sendProblem(reply, negotiated.problem);
    const format = negotiated.format;
    const parsed = parseEventQuery(params, deps.canon);
    if (!parsed.ok)
      return sendProblem(
        reply,
        problem('QueryParameterException', parsed.problem.detail, { parameter: parsed.problem.parameter }),
      );
    const query = parsed.query;
    const nowMs = Date.now();
    let afterKey: PageKey | undefined;
    if (query.nextPageToken !== null) {
      const opened = openPageToken(query.nextPageToken, query, { secret: deps.pageTokenSecret, nowMs });
      if (!opened.ok)
        return sendProblem(
          reply,
          problem('QueryParameterException', opened.problem.detail, {
            parameter: 'nextPageToken',
          }),
        );
      afterKey = opened.key;
    }
    deps.metrics.query.queries.inc({ endpoint });
    const cacheKey = `${request.url}\u0000${format}${named === undefined ? '' : `\u0000${named.definitionKey}`}`;
    const started = process.hrtime.bigint();
    const { value: page, hit } = deps.cache.getOrCompute(cacheKey, deps.storeVersion(), () =>
      runEventQuery(deps.db, query, { afterKey, limit: query.perPage }),
    );
    if (hit) deps.metrics.query.cacheHits.inc();
    else deps.metrics.sqlite.queryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (page.tooLarge) {
      return sendProblem(
        reply,
        problem(
          'QueryTooLargeException',
          `the query matches more than maxEventCount=${query.maxEventCount} events; narrow it or raise maxEventCount`,
        ),
      );
    }
    if (page.nextPageKey !== null) {
      const { token, expiresAtMs } = issuePageToken(page.nextPageKey, query, {
        secret: deps.pageTokenSecret,
        nowMs,
        ttlMs: deps.pageTokenTtlMs,
      });
      reply.header('Link', linkToNextPage(request.url.split('?')[0]!, named?.urlParams ?? params, token));
      reply.header('GS1-Next-Page-Token-Expires', new Date(expiresAtMs).toISOString());
    }
    reply.header('GS1-EPC-Format', format);
    return reply
      .type('application/ld+json')
      .send(
        queryDocument(named?.queryName ?? 'SimpleEventQuery', page.rows, format, deps.canon.toDigitalLink),
      );
  };
}
