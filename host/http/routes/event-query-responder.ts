// Answers one event query over HTTP: parameters → EventQuery, page token → keyset position, SQL →
// rows, rows → EPCISQueryDocument, with the Link / GS1-Next-Page-Token-Expires headers of the
// EPCIS pagination contract. Shared by GET /events, the resource views (/epcs/{epc}/events …) and
// the named queries (GET /queries/{name}/events).
//
// Every page is bounded: at most perPage events and at most QUERY_PAGE_MAX_BYTES of them (run-query
// ends the page early, with a next-page link). The page is rendered in slices of the event loop and
// sent as one text; the cache keeps that rendered text (without creationDate), so a cache hit costs
// no rendering at all and the cache's byte estimate is the answer's own length.
import type { Database } from 'better-sqlite3';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';
import type { IdentifierCanon, PageKey } from '../../query/event-query.js';
import { issuePageToken, openPageToken } from '../../query/page-token.js';
import { parseEventQuery } from '../../query/parse-query.js';
import { type QueryPage, runEventQuery } from '../../query/run-query.js';
import { TurnSlicer } from '../../event-loop/turn-slicer.js';
import type { QueryCache } from '../../query-cache/query-cache.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { negotiateAnswer } from '../../xml/answer-negotiation.js';
import {
  queryDocumentXml,
  type RenderedXmlEventList,
  renderEventListXml,
  XML_ANSWER_TYPE,
} from '../../xml/query-document-xml.js';
import { problem, sendProblem } from '../problem.js';
import { type RenderedEventList, queryDocumentText, renderEventList } from '../query-document.js';

export interface EventQueryDeps {
  db: Database;
  canon: IdentifierCanon & { toDigitalLink(id: string): string };
  metrics: Metrics;
  cache: QueryCache;
  pageTokenSecret: Uint8Array;
  pageTokenTtlMs: number;
  storeVersion: () => number;
  /** QUERY_PAGE_MAX_BYTES: most stored event bytes one page holds (at least one event). */
  pageMaxBytes: number;
}

/**
 * A page as the cache keeps it: rendered (as JSON, or as XML for Accept: application/xml, under a
 * key of its own), with where the next page starts; null: maxEventCount is exceeded.
 */
interface RenderedPage {
  list: RenderedEventList | RenderedXmlEventList | null;
  nextPageKey: QueryPage['nextPageKey'];
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
  // One slicer for every page this responder renders: concurrent renders share a loop turn's slice.
  const slicer = new TurnSlicer();
  const pause = () => slicer.take();
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
    const answerFormat = negotiateAnswer(request.headers.accept);
    if (!answerFormat.ok) return sendProblem(reply, answerFormat.problem);
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
    const xml = answerFormat.format === 'xml';
    const cacheKey = `${request.url}\u0000${format}${xml ? '\u0000xml' : ''}${named === undefined ? '' : `\u0000${named.definitionKey}`}`;
    // Read before the SQL, in the same turn: the rows are at least this version's, so an entry can
    // only be newer than its key says, never older.
    const version = deps.storeVersion();
    let page = deps.cache.get(cacheKey, version) as RenderedPage | undefined;
    if (page !== undefined) {
      deps.metrics.query.cacheHits.inc();
    } else {
      const started = process.hrtime.bigint();
      const rows = runEventQuery(deps.db, query, {
        afterKey,
        limit: query.perPage,
        maxBytes: deps.pageMaxBytes,
      });
      deps.metrics.sqlite.queryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      const render = xml ? renderEventListXml : renderEventList;
      const list = rows.tooLarge ? null : await render(rows.rows, format, deps.canon.toDigitalLink, pause);
      page = { list, nextPageKey: rows.nextPageKey };
      deps.cache.set(cacheKey, version, page);
    }
    if (page.list === null) {
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
    if ('eventsXml' in page.list)
      return reply
        .type(XML_ANSWER_TYPE)
        .send(queryDocumentXml(named?.queryName ?? 'SimpleEventQuery', page.list, new Date()));
    return reply
      .type('application/ld+json')
      .send(queryDocumentText(named?.queryName ?? 'SimpleEventQuery', page.list, new Date()));
  };
}
