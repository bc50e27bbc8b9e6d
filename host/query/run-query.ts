// Runs one page of an event query: honours eventCountLimit (the result is truncated, across pages)
// and maxEventCount (the whole result is refused when it would be larger; the HTTP layer answers 413
// QueryTooLargeException). Synchronous, like all better-sqlite3 reads.
//
// A page is bounded in bytes as well as in events (QUERY_PAGE_MAX_BYTES): perPage=1000 over 140 KB
// events built a 28 MB page for one request. The page's keys (seq, order key) are selected first,
// then the events' texts one at a time by seq, and the page ends before it outgrows `maxBytes`, with
// a next-page position like any full page (EPCIS lets a server return fewer than perPage). It always
// holds one event, so any event, however large, is answered. Selecting keys first also keeps the
// texts out of SQLite's sorter: a GE_eventTime page over 200 such events sorted all 28 MB of them to
// return 14 (30-120 ms of the event loop, measured); sorting their keys takes well under 1 ms.
import type { Database } from 'better-sqlite3';
import { chooseAccessPath, probeWith, type AccessPath } from './access-path.js';
import { compileEventCount, compileEventQuery, type PageRequest } from './compile-query.js';
import type { EventQuery, PageKey, StoredEventRow } from './event-query.js';
import { readEventRows, type EventKeyRow } from './read-event-rows.js';
import { prepareCached as prepared } from './statement-cache.js';

export interface QueryPage {
  rows: StoredEventRow[];
  /** Where the next page starts; null on the last page. */
  nextPageKey: PageKey | null;
  /** maxEventCount is exceeded: `rows` is empty and the client gets QueryTooLargeException. */
  tooLarge: boolean;
}

export interface BoundedPageRequest extends Omit<PageRequest, 'keysOnly'> {
  /** Most bytes of events (rowBytes) the page holds; it still holds one event when that one is larger. */
  maxBytes?: number;
}

export function runEventQuery(db: Database, query: EventQuery, page: BoundedPageRequest): QueryPage {
  const returned = page.afterKey?.returned ?? 0;
  const remaining = query.eventCountLimit === null ? Infinity : query.eventCountLimit - returned;
  const limit = Math.min(page.limit, remaining);
  if (limit <= 0) return { rows: [], nextPageKey: null, tooLarge: false };

  const access = chooseAccessPath(query, probeWith(db));
  // One row more than the page tells whether another page exists without a second query.
  const compiled = compileEventQuery(
    query,
    { afterKey: page.afterKey, limit: limit + 1, keysOnly: true },
    access,
  );
  const keys = prepared(db, compiled.sql).all(...compiled.params) as EventKeyRow[];

  // maxEventCount is checked when the query starts; later pages were admitted by that check.
  const max = query.maxEventCount;
  if (page.afterKey === undefined && max !== null && exceeds(db, query, access, max, keys.length, limit)) {
    return { rows: [], nextPageKey: null, tooLarge: true };
  }
  const { rows, last } = readEventRows(db, keys.slice(0, limit), page.maxBytes ?? Infinity);
  const more = keys.length > rows.length && rows.length < remaining;
  return {
    rows,
    nextPageKey:
      more && last !== undefined
        ? { sortValue: sortValue(last.sortKey), seq: last.seq, returned: returned + rows.length }
        : null,
    tooLarge: false,
  };
}

/** Whether more than `max` rows match, reading at most max + 1 of them. */
function exceeds(
  db: Database,
  query: EventQuery,
  access: AccessPath,
  max: number,
  fetched: number,
  limit: number,
): boolean {
  if (fetched > max) return true;
  // The first page fetched one row more than it returns and got no more than it returns: that is all.
  if (fetched <= limit) return false;
  const count = compileEventCount(query, max + 1, access);
  const { n } = prepared(db, count.sql).get(...count.params) as { n: number };
  return n > max;
}

// The empty-blob key of events lacking the orderBy extension field comes back as a Buffer.
function sortValue(key: unknown): number | string | null {
  return typeof key === 'number' || typeof key === 'string' ? key : null;
}
