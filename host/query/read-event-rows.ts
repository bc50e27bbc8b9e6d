// Reads stored events' texts by seq, after their keys were selected (compileEventQuery with
// keysOnly), until the next would take the read past a byte budget. GET /events pages and the live
// feed both read this way: a query that has to be sorted then sorts small keys in SQLite, never the
// matching events' JSON, and texts past the budget are never read at all.
import type { Database } from 'better-sqlite3';
import { EVENT_ROW_COLUMNS } from './compile-query.js';
import type { StoredEventRow } from './event-query.js';
import { prepareCached } from './statement-cache.js';

/** A stored event row as SQLite returns it: isDeclaration is 0 or 1. */
type SqliteEventRow = Omit<StoredEventRow, 'isDeclaration'> & { isDeclaration: number };

/** What a keys-only query selects for each matching event. */
export interface EventKeyRow {
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

/**
 * The events of `keys`, in their order, until the next would take the read past `maxBytes` (it
 * always holds the first, however large); `last` is the key of the last one taken. Events are
 * immutable and the read is synchronous, so every key still names its row.
 */
export function readEventRows(
  db: Database,
  keys: readonly EventKeyRow[],
  maxBytes: number,
): { rows: StoredEventRow[]; last: EventKeyRow | undefined } {
  const bySeq = prepareCached(db, ROW_BY_SEQ);
  const rows: StoredEventRow[] = [];
  let last: EventKeyRow | undefined;
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

function toStoredRow(row: SqliteEventRow): StoredEventRow {
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
