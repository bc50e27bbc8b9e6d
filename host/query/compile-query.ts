// EventQuery + page position → one parameterised SELECT over `events`.
//
// Pages use keyset pagination on (order key, seq): each page asks for rows strictly after the last
// row it returned, in a total order (seq breaks ties and is unique). A row is therefore never skipped
// or repeated, whatever is inserted between two page requests; events captured meanwhile appear on a
// later page if they sort after the position, and not at all if they sort before it.
import { yieldsArrivalOrder, type AccessPath } from './access-path.js';
import { compileFilter } from './compile-filters.js';
import type { EventQuery, PageKey, QueryFilter } from './event-query.js';
import type { SqlFragment } from './sql-fragment.js';

export interface PageRequest {
  afterKey?: PageKey;
  limit: number;
  /**
   * Select only seq and the order key: the rows' texts are read afterwards by seq (EVENT_ROW_COLUMNS).
   * A page that has to be sorted then sorts small keys instead of every matching event's JSON.
   */
  keysOnly?: boolean;
}

/** The columns of an event row as StoredEventRow names them (the `events` table aliased `e`). */
export const EVENT_ROW_COLUMNS = [
  'e.seq AS seq',
  'e.event_id AS eventId',
  'e.hash_id AS hashId',
  'e.event_type AS eventType',
  'e.event_time_ms AS eventTimeMs',
  'e.event_time_offset AS eventTimeOffset',
  'e.record_time_ms AS recordTimeMs',
  'e.is_declaration AS isDeclaration',
  'e.origin_site AS originSite',
  'e.context_json AS contextJson',
  'e.body AS body',
].join(', ');

// An empty blob sorts after every number and string in SQLite, so events lacking the extension field
// get a non-NULL key (row-value comparisons with NULL are never true) and gather at one end.
const MISSING_FIELD = "x''";

interface SortKey {
  /** The key expression; it pushes its own parameters each time it is written. */
  expr: (params: unknown[]) => string;
  arrival: boolean;
  /** The time column the key reads, whose index a time-range filter shares. */
  column: 'event_time_ms' | 'record_time_ms' | null;
}

// Under a chosen start (access-path.ts) the key is written `+e.col`: same value, but SQLite may no
// longer walk the key's index instead of the chosen one.
function sortKey(query: EventQuery, indexed: boolean): SortKey {
  const col = (column: string): string => `${indexed ? '' : '+'}e.${column}`;
  switch (query.order.by) {
    case 'arrival':
      return { expr: () => col('seq'), arrival: true, column: null };
    case 'eventTime':
      return { expr: () => col('event_time_ms'), arrival: false, column: 'event_time_ms' };
    case 'recordTime':
      return { expr: () => col('record_time_ms'), arrival: false, column: 'record_time_ms' };
    case 'extension': {
      const path = `$."${query.order.field}"`;
      return {
        expr: (params) => {
          params.push(path);
          return `coalesce(json_extract(e.body, ?), ${MISSING_FIELD})`;
        },
        arrival: false,
        column: null,
      };
    }
  }
}

/**
 * Whether the order key may use its index: not when another start was chosen, unless that start
 * already yields rows in the key's order.
 */
function keyUsesIndex(query: EventQuery, access: AccessPath): boolean {
  if (access.kind !== 'filter') return access.kind === 'auto' || access.kind === 'order';
  const driver = query.filters[access.index];
  return query.order.by === 'arrival' && driver !== undefined && yieldsArrivalOrder(driver);
}

/** Whether a filter may use its index under the access path. */
function usesIndex(access: AccessPath, key: SortKey, filter: QueryFilter, index: number): boolean {
  switch (access.kind) {
    case 'auto':
      return true;
    case 'filter':
      return index === access.index;
    case 'intersect':
      return false;
    case 'composite':
      return access.indexes.includes(index);
    case 'order':
      return filter.kind === 'time-range' && filter.column === key.column;
  }
}

function compileConditions(query: EventQuery, access: AccessPath, key: SortKey): SqlFragment[] {
  if (access.kind !== 'intersect') {
    return query.filters.map((f, i) => compileFilter(f, usesIndex(access, key, f, i)));
  }
  const chosen = query.filters.filter((_f, i) => access.indexes.includes(i)).map((f) => compileFilter(f));
  const both: SqlFragment = {
    sql: `e.seq IN (${chosen.map((c) => `SELECT e.seq FROM events e WHERE ${c.sql}`).join(' INTERSECT ')})`,
    params: chosen.flatMap((c) => c.params),
  };
  const rest = query.filters
    .filter((_f, i) => !access.indexes.includes(i))
    .map((f) => compileFilter(f, false));
  return [both, ...rest];
}

function whereClause(query: EventQuery, access: AccessPath, key: SortKey, extra: SqlFragment[]): SqlFragment {
  const parts = [...compileConditions(query, access, key), ...extra];
  return {
    sql: parts.length === 0 ? '' : ` WHERE ${parts.map((p) => p.sql).join(' AND ')}`,
    params: parts.flatMap((p) => p.params),
  };
}

/**
 * The page of rows after `page.afterKey`; selects `sortKey` too, for the next page's position.
 * `access` steers which index SQLite starts from (see access-path.ts); it never changes the rows.
 */
export function compileEventQuery(
  query: EventQuery,
  page: PageRequest,
  access: AccessPath = { kind: 'auto' },
): SqlFragment {
  const key = sortKey(query, keyUsesIndex(query, access));
  const direction = query.direction;
  const after = page.afterKey;
  const extra: SqlFragment[] = [];
  if (after !== undefined) {
    const cmp = direction === 'ASC' ? '>' : '<';
    const params: unknown[] = [];
    const expr = key.expr(params);
    if (key.arrival) {
      extra.push({ sql: `${expr} ${cmp} ?`, params: [after.seq] });
    } else {
      const position = after.sortValue === null ? `(${MISSING_FIELD}, ?)` : '(?, ?)';
      params.push(...(after.sortValue === null ? [after.seq] : [after.sortValue, after.seq]));
      extra.push({ sql: `(${expr}, e.seq) ${cmp} ${position}`, params });
    }
  }
  const params: unknown[] = [];
  const columns = page.keysOnly === true ? 'e.seq AS seq' : EVENT_ROW_COLUMNS;
  const select = `SELECT ${columns}, ${key.expr(params)} AS sortKey FROM events e`;
  const where = whereClause(query, access, key, extra);
  params.push(...where.params);
  const order = key.arrival
    ? `${key.expr(params)} ${direction}`
    : `${key.expr(params)} ${direction}, e.seq ${direction}`;
  params.push(page.limit);
  return { sql: `${select}${where.sql} ORDER BY ${order} LIMIT ?`, params };
}

/** Counts matching rows, but stops at `cap`: enough to decide maxEventCount without a full count. */
export function compileEventCount(
  query: EventQuery,
  cap: number,
  access: AccessPath = { kind: 'auto' },
): SqlFragment {
  const where = whereClause(query, access, sortKey(query, true), []);
  return {
    sql: `SELECT count(*) AS n FROM (SELECT 1 FROM events e${where.sql} LIMIT ?)`,
    params: [...where.params, cap],
  };
}
