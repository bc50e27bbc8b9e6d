// The sync relay's view of the outbox: events captured here that the broker has not confirmed yet,
// in seq (capture) order. Rows are marked sent, never deleted here, so a relay restart resumes
// from the first unconfirmed seq.
import type { Database, Statement } from 'better-sqlite3';
import type { TypedValue } from '../core/types.js';

export interface OutboxEntry {
  seq: number;
  enqueuedMs: number;
  eventId: string;
  hashId: string;
  eventType: string;
  isDeclaration: boolean;
  declarationTimeMs: number | null;
  recordTimeMs: number;
  originSite: string;
  /** Canonical bizLocation and destinations (type, value): what addresses the event to other sites. */
  bizLocation: string | null;
  destinations: TypedValue[];
  contextJson: string | null;
  body: string;
}

// Rows come back as arrays (better-sqlite3 raw mode): building a keyed object per row and then
// the entry cost more than the read itself (12 vs 6 µs per row, 500-row batches at 1M events).
type OutboxRow = [
  seq: number,
  enqueuedMs: number,
  eventId: string,
  hashId: string,
  eventType: string,
  isDeclaration: number,
  declarationTimeMs: number | null,
  recordTimeMs: number,
  originSite: string,
  bizLocation: string | null,
  contextJson: string | null,
  body: string,
];

type DestinationRow = [seq: number, type: string | null, value: string];

export class Outbox {
  private readonly unsentRows: Statement<[number, number], unknown>;
  private readonly destinationRows: Statement<[number, number], unknown>;
  private readonly mark: Statement<[number, string]>;
  private readonly count: Statement<[], { n: number }>;
  private readonly oldest: Statement<[], { enqueued_ms: number }>;

  constructor(db: Database) {
    this.unsentRows = db
      .prepare(
        `SELECT o.seq, o.enqueued_ms, e.event_id, e.hash_id, e.event_type,
        e.is_declaration, e.declaration_time_ms, e.record_time_ms, e.origin_site, e.biz_location,
        e.context_json, e.body
      FROM outbox o JOIN events e ON e.seq = o.seq
      WHERE o.sent_ms IS NULL AND o.seq > ? ORDER BY o.seq LIMIT ?`,
      )
      .raw(true);
    // INDEXED BY: left alone, SQLite starts from event_links_by_value (kind = ?) and walks every
    // destination row in the store (228 ms per batch at 1M events, on the event loop); the seq
    // range of one batch is a few rows. ORDER BY seq, rowid is the index's own order (an event's
    // destinations in the order they were written) and needs no sort, unlike ORDER BY rowid.
    this.destinationRows = db
      .prepare(
        `SELECT seq, type, value FROM event_links INDEXED BY event_links_by_seq
      WHERE seq BETWEEN ? AND ? AND kind = 'destination' ORDER BY seq, rowid`,
      )
      .raw(true);
    // One statement for the whole list: atomic without a transaction of its own.
    this.mark = db.prepare(`UPDATE outbox SET sent_ms = ?
      WHERE sent_ms IS NULL AND seq IN (SELECT value FROM json_each(?))`);
    this.count = db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_ms IS NULL');
    this.oldest = db.prepare('SELECT enqueued_ms FROM outbox WHERE sent_ms IS NULL ORDER BY seq LIMIT 1');
  }

  /** The oldest unsent entries, in seq order. */
  unsent(limit: number): OutboxEntry[] {
    return this.unsentAfter(0, limit);
  }

  /** The unsent entries after `afterSeq`, in seq order: the relay's cursor while batches are in flight. */
  unsentAfter(afterSeq: number, limit: number): OutboxEntry[] {
    const rows = this.unsentRows.all(afterSeq, Math.max(1, Math.floor(limit))) as OutboxRow[];
    if (rows.length === 0) return [];
    const destinations = new Map<number, TypedValue[]>();
    const links = this.destinationRows.all(rows[0]![0], rows[rows.length - 1]![0]) as DestinationRow[];
    for (const [seq, type, value] of links) {
      let list = destinations.get(seq);
      if (list === undefined) destinations.set(seq, (list = []));
      list.push([type, value]);
    }
    return rows.map((row) => ({
      seq: row[0],
      enqueuedMs: row[1],
      eventId: row[2],
      hashId: row[3],
      eventType: row[4],
      isDeclaration: row[5] === 1,
      declarationTimeMs: row[6],
      recordTimeMs: row[7],
      originSite: row[8],
      bizLocation: row[9],
      destinations: destinations.get(row[0]) ?? [],
      contextJson: row[10],
      body: row[11],
    }));
  }

  /** Call only after the broker confirmed these seqs. Returns how many rows changed (already-sent ones keep their time). */
  markSent(seqs: readonly number[], sentMs: number): number {
    if (seqs.length === 0) return 0;
    return this.mark.run(sentMs, JSON.stringify(seqs)).changes;
  }

  depth(): number {
    return this.count.get()!.n;
  }

  /** When the oldest unsent entry was enqueued (for a lag gauge), or null when nothing waits. */
  oldestUnsentMs(): number | null {
    return this.oldest.get()?.enqueued_ms ?? null;
  }
}
