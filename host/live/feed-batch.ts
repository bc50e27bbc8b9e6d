// One bounded read of the live feed: the events after a cursor that match a query, in arrival
// order, through the SQL GET /events compiles (compileEventQuery / runEventQuery with the cursor as
// the keyset position), so "the same filter as GET /events" holds by construction.
import type { Database } from 'better-sqlite3';
import { compileEventQuery } from '../query/compile-query.js';
import type { EventQuery, PageKey, StoredEventRow } from '../query/event-query.js';
import { runEventQuery, type SqliteEventRow, toStoredRow } from '../query/run-query.js';
import { prepareCached } from '../query/statement-cache.js';

export interface FeedBatch {
  /** Matching events with after < seq ≤ through, in seq order. */
  rows: StoredEventRow[];
  /** Every matching event up to this seq is in `rows` or was before the cursor. */
  through: number;
  /** The batch was full: more matching events may follow `through`. */
  more: boolean;
}

/** The query as the feed runs it: arrival order, ascending, no count limits or paging. */
export function liveQuery(query: EventQuery): EventQuery {
  return {
    filters: query.filters,
    order: { by: 'arrival' },
    direction: 'ASC',
    eventCountLimit: null,
    maxEventCount: null,
    perPage: query.perPage,
    nextPageToken: null,
  };
}

/**
 * What decides a live query's rows: its filters, whatever their order in the URL. Subscribers with
 * the same key can share one SQL run.
 */
export function liveQueryKey(query: EventQuery, batchLimit: number): string {
  return JSON.stringify([batchLimit, query.filters.map((f) => JSON.stringify(f)).sort()]);
}

// Within this many events of the head, a read walks the seq index from the cursor: it reads only
// the events stored since, whatever the filters. Further back (a subscriber catching up), the start
// GET /events would choose (access-path.ts) is used; its probes cost more than a live read itself.
export const NEAR_HEAD = 2000;

function readNearHead(
  db: Database,
  query: EventQuery,
  afterKey: PageKey,
  limit: number,
): { rows: StoredEventRow[]; more: boolean } {
  // compileEventQuery with the seq order as access path: the same conditions, so the same rows.
  const compiled = compileEventQuery(query, { afterKey, limit: limit + 1 }, { kind: 'order' });
  const fetched = prepareCached(db, compiled.sql).all(...compiled.params) as SqliteEventRow[];
  const rows = fetched.slice(0, limit).map(toStoredRow);
  return { rows, more: fetched.length > limit };
}

/**
 * Reads up to `limit` matching events after `after`. `head` is the highest stored seq, read in the
 * same synchronous step (nothing commits in between), so a batch that is not full covers every
 * stored event up to it and the cursor may skip the non-matching ones.
 */
export function readFeedBatch(
  db: Database,
  query: EventQuery,
  after: number,
  limit: number,
  head: number,
): FeedBatch {
  const afterKey: PageKey = { sortValue: null, seq: after, returned: 0 };
  let page: { rows: StoredEventRow[]; more: boolean };
  if (head - after <= NEAR_HEAD) {
    page = readNearHead(db, query, afterKey, limit);
  } else {
    const result = runEventQuery(db, query, { afterKey, limit });
    page = { rows: result.rows, more: result.nextPageKey !== null };
  }
  const last = page.rows[page.rows.length - 1];
  if (page.more && last !== undefined) return { rows: page.rows, through: last.seq, more: true };
  return { rows: page.rows, through: Math.max(after, head, last?.seq ?? 0), more: false };
}
