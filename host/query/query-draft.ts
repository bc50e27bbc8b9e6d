// The mutable state parameter handlers write into while a query is parsed, and the checks that span
// several parameters once all of them are read.
import type {
  Bound,
  EventQuery,
  IdentifierCanon,
  OrderKey,
  QueryFilter,
  QueryParameterProblem,
  SensorCondition,
  TimeColumn,
} from './event-query.js';

export const DEFAULT_PER_PAGE = 30;
/**
 * The global perPage ceiling the OpenAPI lets a server set. Larger requests are served 1000 at a
 * time (the spec allows a server to return fewer than perPage), which keeps one page's JSON in the
 * low megabytes on an edge node.
 */
export const MAX_PER_PAGE = 1000;

export interface QueryDraft {
  filters: QueryFilter[];
  times: Partial<Record<TimeColumn, { geMs?: number; ltMs?: number }>>;
  /** Quantity conditions by uom ('' for the unit-less parameters). */
  quantities: Map<string, { equals: number[] | null; bounds: Bound[] }>;
  sensor: SensorCondition[];
  order: OrderKey | null;
  direction: 'ASC' | 'DESC' | null;
  eventCountLimit: number | null;
  maxEventCount: number | null;
  perPage: number | null;
  nextPageToken: string | null;
}

/** Reads one parameter's value into the draft; returns an error sentence, or null when it is fine. */
export type ParameterHandler = (draft: QueryDraft, value: string, canon: IdentifierCanon) => string | null;

export function createDraft(): QueryDraft {
  return {
    filters: [],
    times: {},
    quantities: new Map(),
    sensor: [],
    order: null,
    direction: null,
    eventCountLimit: null,
    maxEventCount: null,
    perPage: null,
    nextPageToken: null,
  };
}

type Finished = { ok: true; query: EventQuery } | { ok: false; problem: QueryParameterProblem };

export function finishDraft(draft: QueryDraft): Finished {
  if (draft.eventCountLimit !== null && draft.maxEventCount !== null) {
    return problem(
      'eventCountLimit',
      'eventCountLimit cannot be combined with maxEventCount: eventCountLimit truncates the result, maxEventCount refuses a result that is too large; send only one of them.',
    );
  }
  if (draft.eventCountLimit !== null && draft.order === null) {
    return problem(
      'eventCountLimit',
      'eventCountLimit needs orderBy (eventTime, recordTime or an extension field) so that "the first N events" is defined.',
    );
  }
  const filters = [...draft.filters];
  for (const [column, range] of Object.entries(draft.times) as [
    TimeColumn,
    { geMs?: number; ltMs?: number },
  ][]) {
    filters.push({ kind: 'time-range', column, ...range });
  }
  for (const [uom, { equals, bounds }] of draft.quantities) {
    filters.push({ kind: 'quantity', uom: uom === '' ? null : uom, equals, bounds });
  }
  if (draft.sensor.length > 0) filters.push({ kind: 'sensor', conditions: draft.sensor });
  return {
    ok: true,
    query: {
      filters,
      order: draft.order ?? implicitOrder(draft),
      // The EPCIS default for orderDirection is DESC; it only means something once orderBy is given.
      direction: draft.order === null ? 'ASC' : (draft.direction ?? 'DESC'),
      eventCountLimit: draft.eventCountLimit,
      maxEventCount: draft.maxEventCount,
      perPage: Math.min(draft.perPage ?? DEFAULT_PER_PAGE, MAX_PER_PAGE),
      nextPageToken: draft.nextPageToken,
    },
  };
}

/**
 * Without orderBy EPCIS leaves the order open. A query bounding eventTime (or recordTime) is read
 * in that time order, ascending, so its window comes straight off the time index and a page ends as
 * soon as it is full; any other query is read in arrival order (seq), which is the second column of
 * every other index. Events captured while a client pages through arrive later in arrival order, so
 * they are still reached; in time order they are reached only if they sort after the current page.
 */
function implicitOrder(draft: QueryDraft): OrderKey {
  if (draft.times.event_time_ms !== undefined) return { by: 'eventTime' };
  if (draft.times.record_time_ms !== undefined) return { by: 'recordTime' };
  return { by: 'arrival' };
}

export function problem(parameter: string, detail: string): { ok: false; problem: QueryParameterProblem } {
  return { ok: false, problem: { type: 'QueryParameterException', parameter, detail } };
}
