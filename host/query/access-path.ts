// Which index a query should start from. SQLite's planner, with or without ANALYZE, prefers an
// equality index over a range index and does not weigh a LIMIT against a sort, so on 1M events it
// read all 5,000 events of one business location to find the 14 of one day (~30 ms), and sorted a
// ten-month window to return its first 30 rows (~90 ms). The schema has one-column (column, seq)
// indexes only, so the best start depends on the values, which capped counts over the covering
// indexes reveal cheaply.
//
// The rule: start from an identifier, link, eventID or error-declaration filter when there is one
// (a handful of rows via its index). Then, for a location and an eventTime window, count the rows
// of both through the (biz_location, event_time_ms) index up to PROBE_CAP and start from it when
// under: it reads only the rows both select (14 for one location's day at 1M events, where the
// intersect below read ~7,700 entries after probing 4,000: 2.9 → 0.4 ms of SQL, measured).
// Otherwise count each indexed filter's matches up to PROBE_CAP and start from the smallest under it. Failing that, when two indexed filters each match fewer than
// INTERSECT_CAP rows, intersect their index entries (sequential reads) and fetch only the rows in
// both, or start from the one that does. Otherwise walk an index that yields the page order (the
// order key's, or a one-value (column, seq) index in arrival order) and stop when the page is full.
// Whatever the choice, the conditions are the same, so the rows are the same.
import type { Database } from 'better-sqlite3';
import { compileFilter } from './compile-filters.js';
import type { EventQuery, QueryFilter } from './event-query.js';
import { prepareCached } from './statement-cache.js';

export type AccessPath =
  /** Let SQLite choose (what compileEventQuery does when given no path). */
  | { kind: 'auto' }
  /** Walk the index of the ORDER BY key; the other filters only test rows. */
  | { kind: 'order' }
  /** Start from `query.filters[index]`'s index and sort what it yields. */
  | { kind: 'filter'; index: number }
  /** Start from the rows both filters' indexes name (an INTERSECT of two covering index scans). */
  | { kind: 'intersect'; indexes: [number, number] }
  /**
   * Start from the two-column index of both filters: `indexes[0]` a location `column-in`, `[1]` an
   * eventTime range (migration 008's events_by_biz_location_time).
   */
  | { kind: 'composite'; indexes: [number, number] };

export const PROBE_CAP = 2000;
export const INTERSECT_CAP = 20_000;

const INDEXED_COLUMNS = new Set([
  'event_type',
  'biz_step',
  'disposition',
  'read_point',
  'biz_location',
  'transformation_id',
]);

/** Filters answered from an index table, a unique index or the (small) declarations index. */
export function isPointLookup(filter: QueryFilter): boolean {
  switch (filter.kind) {
    case 'identifier':
    case 'link':
      return true;
    case 'column-in':
      return filter.column === 'event_id' || filter.column === 'error_reason';
    case 'time-range':
      return filter.column === 'declaration_time_ms';
    case 'flag':
      return filter.column === 'is_declaration';
    default:
      return false;
  }
}

/** Filters with an index of their own whose size is worth measuring. */
export function isIndexed(filter: QueryFilter): boolean {
  switch (filter.kind) {
    case 'column-in':
    case 'location-within':
      return INDEXED_COLUMNS.has(filter.column);
    case 'time-range':
      return filter.column !== 'declaration_time_ms';
    default:
      return false;
  }
}

export function chooseAccessPath(
  query: EventQuery,
  countUpTo: (filters: readonly QueryFilter[], cap: number) => number,
): AccessPath {
  const point = query.filters.findIndex(isPointLookup);
  if (point >= 0) return { kind: 'filter', index: point };
  const composite = compositePair(query.filters);
  if (composite !== null) {
    const pair = [query.filters[composite[0]]!, query.filters[composite[1]]!];
    if (countUpTo(pair, PROBE_CAP) < PROBE_CAP) return { kind: 'composite', indexes: composite };
  }
  const indexed = [...query.filters.entries()].filter(([, filter]) => isIndexed(filter));
  let best: AccessPath = { kind: 'order' };
  let fewest = PROBE_CAP;
  for (const [index, filter] of indexed) {
    const count = countUpTo([filter], fewest);
    if (count < fewest) {
      best = { kind: 'filter', index };
      fewest = count;
    }
  }
  if (best.kind !== 'order') return best;
  if (indexed.length >= 2) {
    const sized = indexed
      .map(([index, filter]) => ({ index, count: countUpTo([filter], INTERSECT_CAP) }))
      .filter((c) => c.count < INTERSECT_CAP)
      .sort((a, b) => a.count - b.count);
    const [first, second] = sized;
    if (first !== undefined && second !== undefined) {
      return { kind: 'intersect', indexes: [first.index, second.index] };
    }
    if (first !== undefined) return { kind: 'filter', index: first.index };
  }
  // In arrival order a (column, seq) index yields the rows already sorted: walk it and stop when full.
  const walk =
    query.order.by === 'arrival' ? indexed.find(([, filter]) => yieldsArrivalOrder(filter)) : undefined;
  return walk === undefined ? best : { kind: 'filter', index: walk[0] };
}

/** A one-value filter on a (column, seq) index, whose entries come in seq order. */
export function yieldsArrivalOrder(filter: QueryFilter): boolean {
  return filter.kind === 'column-in' && filter.values.length === 1 && INDEXED_COLUMNS.has(filter.column);
}

/** The filters a composite start serves: [location column-in, eventTime range], or null. */
export function compositePair(filters: readonly QueryFilter[]): [number, number] | null {
  const location = filters.findIndex((f) => f.kind === 'column-in' && f.column === 'biz_location');
  const window = filters.findIndex((f) => f.kind === 'time-range' && f.column === 'event_time_ms');
  return location < 0 || window < 0 ? null : [location, window];
}

/** Counts the rows matching all of `filters` through their index, reading at most `cap` entries. */
export function probeWith(db: Database): (filters: readonly QueryFilter[], cap: number) => number {
  return (filters, cap) => {
    const where = filters.map((filter) => compileFilter(filter));
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM events e WHERE ${where.map((w) => w.sql).join(' AND ')} LIMIT ?)`;
    return (prepareCached(db, sql).get(...where.flatMap((w) => w.params), cap) as { n: number }).n;
  };
}
