// Runs one page of an event query: honours eventCountLimit (the result is truncated, across pages)
// and maxEventCount (the whole result is refused when it would be larger; the HTTP layer answers 413
// QueryTooLargeException). Synchronous, like all better-sqlite3 reads.
import type { Database } from 'better-sqlite3';
import { chooseAccessPath, probeWith, type AccessPath } from './access-path.js';
import { compileEventCount, compileEventQuery, type PageRequest } from './compile-query.js';
import type { EventQuery, PageKey, StoredEventRow } from './event-query.js';
import { prepareCached as prepared } from './statement-cache.js';

export interface QueryPage {
  rows: StoredEventRow[];
  /** Where the next page starts; null on the last page. */
  nextPageKey: PageKey | null;
  /** maxEventCount is exceeded: `rows` is empty and the client gets QueryTooLargeException. */
  tooLarge: boolean;
}

/** A stored event row as SQLite returns it: isDeclaration is 0 or 1. */
export type SqliteEventRow = Omit<StoredEventRow, 'isDeclaration'> & { isDeclaration: number };
type RawRow = SqliteEventRow & { sortKey: unknown };

export function runEventQuery(db: Database, query: EventQuery, page: PageRequest): QueryPage {
  const returned = page.afterKey?.returned ?? 0;
  const remaining = query.eventCountLimit === null ? Infinity : query.eventCountLimit - returned;
  const limit = Math.min(page.limit, remaining);
  if (limit <= 0) return { rows: [], nextPageKey: null, tooLarge: false };

  const access = chooseAccessPath(query, probeWith(db));
  // One row more than the page tells whether another page exists without a second query.
  const compiled = compileEventQuery(query, { afterKey: page.afterKey, limit: limit + 1 }, access);
  const fetched = prepared(db, compiled.sql).all(...compiled.params) as RawRow[];
  const rows = fetched.slice(0, limit);
  const more = fetched.length > limit && rows.length < remaining;

  // maxEventCount is checked when the query starts; later pages were admitted by that check.
  const max = query.maxEventCount;
  if (page.afterKey === undefined && max !== null && exceeds(db, query, access, max, fetched.length, limit)) {
    return { rows: [], nextPageKey: null, tooLarge: true };
  }
  const last = rows[rows.length - 1];
  return {
    rows: rows.map(toStoredRow),
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
