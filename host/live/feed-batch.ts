// One bounded read of the live feed: the events after a cursor that match a query, in arrival
// order, through the SQL GET /events compiles (compileEventQuery with the cursor as the keyset
// position), so "the same filter as GET /events" holds by construction.
//
// A read is bounded in events and in bytes: 1,000 events of 140 KB made one catch-up batch 140 MB,
// and 30 streams catching up at once took the process down. The matching keys are selected, then
// the events' texts one at a time, and the read stops before the batch outgrows `maxBytes` (it
// always holds one event, so any event, however large, is delivered).
import type { Database } from 'better-sqlite3';
import { chooseAccessPath, probeWith, type AccessPath } from '../query/access-path.js';
import { compileEventQuery } from '../query/compile-query.js';
import type { EventQuery, PageKey, StoredEventRow } from '../query/event-query.js';
import { readEventRows, type EventKeyRow } from '../query/read-event-rows.js';
import { prepareCached } from '../query/statement-cache.js';

export interface FeedBatch {
  /** Matching events with after < seq ≤ through, in seq order. */
  rows: StoredEventRow[];
  /** Every matching event up to this seq is in `rows` or was before the cursor. */
  through: number;
  /** The batch was full (in events or bytes): more matching events may follow `through`. */
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

function readRows(
  db: Database,
  query: EventQuery,
  afterKey: PageKey,
  limit: number,
  maxBytes: number,
  access: AccessPath,
): { rows: StoredEventRow[]; more: boolean } {
  // Keys first, texts by seq (read-event-rows.ts): a catch-up under a time filter starts from the
  // time index and sorts by seq; selecting whole rows made SQLite sort every matching event's JSON
  // (200 events of 140 KB behind 3,000 others: the first 256 KiB batch took 57-91 ms; keys first,
  // 4-9 ms, measured).
  // One key beyond the limit tells whether more follow without a second query.
  const compiled = compileEventQuery(query, { afterKey, limit: limit + 1, keysOnly: true }, access);
  const keys = prepareCached(db, compiled.sql).all(...compiled.params) as EventKeyRow[];
  const { rows } = readEventRows(db, keys.slice(0, limit), maxBytes);
  return { rows, more: keys.length > rows.length };
}

/**
 * Reads up to `limit` matching events, and up to `maxBytes` of them, after `after`. `head` is the
 * highest stored seq, read in the same synchronous step (nothing commits in between), so a batch
 * that is not full covers every stored event up to it and the cursor may skip the non-matching ones.
 */
export function readFeedBatch(
  db: Database,
  query: EventQuery,
  after: number,
  limit: number,
  head: number,
  maxBytes = Number.POSITIVE_INFINITY,
): FeedBatch {
  const afterKey: PageKey = { sortValue: null, seq: after, returned: 0 };
  // Near the head: the seq order as access path (the same conditions, so the same rows).
  const access: AccessPath =
    head - after <= NEAR_HEAD ? { kind: 'order' } : chooseAccessPath(query, probeWith(db));
  const page = readRows(db, query, afterKey, limit, maxBytes, access);
  const last = page.rows[page.rows.length - 1];
  if (page.more && last !== undefined) return { rows: page.rows, through: last.seq, more: true };
  return { rows: page.rows, through: Math.max(after, head, last?.seq ?? 0), more: false };
}
