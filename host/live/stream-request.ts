// GET /events/stream request → the query to follow and where to start. The filters are GET /events'
// own (parseEventQuery); its paging and ordering parameters are refused, since a stream delivers
// every matching event once, in arrival order; the start comes from Last-Event-ID.
import type { Problem } from '../http/problem.js';
import { problem } from '../http/problem.js';
import type { EventQuery, IdentifierCanon } from '../query/event-query.js';
import { parseEventQuery } from '../query/parse-query.js';

type Params = Record<string, string | string[]>;

export type StreamRequest =
  { ok: true; query: EventQuery; afterSeq: number } | { ok: false; problem: Problem };

export const LAST_EVENT_ID_PARAMETER = 'lastEventId';

const NOT_FOR_STREAMS = [
  'perPage',
  'nextPageToken',
  'orderBy',
  'orderDirection',
  'eventCountLimit',
  'maxEventCount',
];

function parameterProblem(parameter: string, detail: string): StreamRequest {
  return { ok: false, problem: problem('QueryParameterException', detail, { parameter }) };
}

/**
 * `headSeq` is the newest stored event's seq: the start without Last-Event-ID, and the highest
 * Last-Event-ID this store can have issued.
 */
export function parseStreamRequest(
  params: Params,
  lastEventIdHeader: string | string[] | undefined,
  canon: IdentifierCanon,
  headSeq: number,
): StreamRequest {
  const { [LAST_EVENT_ID_PARAMETER]: fromQuery, ...filters } = params;
  for (const name of NOT_FOR_STREAMS) {
    if (name in filters) {
      return parameterProblem(
        name,
        `${name} does not apply to GET /events/stream: a stream delivers every matching event once, in arrival order; leave it out.`,
      );
    }
  }
  // The header wins: EventSource sends it on reconnection, while the URL still has the first start.
  const [field, raw] =
    lastEventIdHeader !== undefined
      ? ['Last-Event-ID', lastEventIdHeader]
      : [LAST_EVENT_ID_PARAMETER, fromQuery];
  let afterSeq = headSeq;
  if (raw !== undefined) {
    const value = Array.isArray(raw) ? (raw.length === 1 ? raw[0]! : null) : raw;
    if (value === null || !/^\d{1,15}$/.test(value.trim())) {
      return parameterProblem(
        field,
        `${field} must be the id of the last event received, a non-negative integer; got ${JSON.stringify(raw)}.`,
      );
    }
    afterSeq = Number(value.trim());
    if (afterSeq > headSeq) {
      return parameterProblem(
        field,
        `${field} ${afterSeq} is beyond the newest stored event (${headSeq}): it was not issued by this store; reconnect without it.`,
      );
    }
  }
  const parsed = parseEventQuery(filters, canon);
  if (!parsed.ok) return parameterProblem(parsed.problem.parameter, parsed.problem.detail);
  return { ok: true, query: parsed.query, afterSeq };
}
