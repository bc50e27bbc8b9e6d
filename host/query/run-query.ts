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
import {
  compileEventCount,
  compileEventQuery,
  EVENT_ROW_COLUMNS,
  type PageRequest,
} from './compile-query.js';
import type { EventQuery, PageKey, StoredEventRow } from './event-query.js';
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

/** A stored event row as SQLite returns it: isDeclaration is 0 or 1. */
export type SqliteEventRow = Omit<StoredEventRow, 'isDeclaration'> & { isDeclaration: number };
interface KeyRow {
  seq: number;
  sortKey: unknown;
}

// Per row beyond its JSON texts: the ids, hash and the row object itself.
const ROW_OVERHEAD_BYTES = 256;

/** What a stored row costs in memory, about: its texts, which dominate for any real event. */
export function rowBytes(row: Pick<StoredEventRow, 'body' | 'contextJson'>): number {
  return ROW_OVERHEAD_BYTES + row.body.length + (row.contextJson?.length ?? 0);
}

const ROW_BY_SEQ = `SELECT ${EVENT_ROW_COLUMNS} FROM events e WHERE e.seq = ?`;

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
  const keys = prepared(db, compiled.sql).all(...compiled.params) as KeyRow[];

  // maxEventCount is checked when the query starts; later pages were admitted by that check.
  const max = query.maxEventCount;
  if (page.afterKey === undefined && max !== null && exceeds(db, query, access, max, keys.length, limit)) {
    return { rows: [], nextPageKey: null, tooLarge: true };
  }
  const { rows, last } = readRows(db, keys.slice(0, limit), page.maxBytes ?? Infinity);
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

/**
 * The events of `keys`, in their order, until the next would take the page past `maxBytes`; `last`
 * is the key of the last one taken. Events are immutable and the read is synchronous, so every key
 * still names its row.
 */
function readRows(
  db: Database,
  keys: readonly KeyRow[],
  maxBytes: number,
): { rows: StoredEventRow[]; last: KeyRow | undefined } {
  const bySeq = prepared(db, ROW_BY_SEQ);
  const rows: StoredEventRow[] = [];
  let last: KeyRow | undefined;
  let bytes = 0;
  for (const key of keys) {
    const raw = bySeq.get(key.seq) as SqliteEventRow | undefined;
    if (raw === undefined) continue;
    const size = rowBytes(raw);
    if (rows.length > 0 && bytes + size > maxBytes) break;
    rows.push(toStoredRow(raw));
    last = key;
    bytes += size;
  }
  return { rows, last };
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

export function toStoredRow(row: SqliteEventRow): StoredEventRow {
  return {
    seq: row.seq,
    eventId: row.eventId,
    hashId: row.hashId,
    eventType: row.eventType,
    eventTimeMs: row.eventTimeMs,
    eventTimeOffset: row.eventTimeOffset,
    recordTimeMs: row.recordTimeMs,
    isDeclaration: row.isDeclaration === 1,
    originSite: row.originSite,
    contextJson: row.contextJson,
    body: row.body,
  };
}

// The empty-blob key of events lacking the orderBy extension field comes back as a Buffer.
function sortValue(key: unknown): number | string | null {
  return typeof key === 'number' || typeof key === 'string' ? key : null;
}
