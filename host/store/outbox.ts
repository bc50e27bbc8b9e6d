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

interface OutboxRow {
  seq: number;
  enqueued_ms: number;
  event_id: string;
  hash_id: string;
  event_type: string;
  is_declaration: number;
  declaration_time_ms: number | null;
  record_time_ms: number;
  origin_site: string;
  biz_location: string | null;
  context_json: string | null;
  body: string;
}

interface DestinationRow {
  seq: number;
  type: string | null;
  value: string;
}

export class Outbox {
  private readonly unsentRows: Statement<[number, number], OutboxRow>;
  private readonly destinationRows: Statement<[number, number], DestinationRow>;
  private readonly mark: Statement<[number, string]>;
  private readonly count: Statement<[], { n: number }>;
  private readonly oldest: Statement<[], { enqueued_ms: number }>;

  constructor(db: Database) {
    this.unsentRows = db.prepare(`SELECT o.seq, o.enqueued_ms, e.event_id, e.hash_id, e.event_type,
        e.is_declaration, e.declaration_time_ms, e.record_time_ms, e.origin_site, e.biz_location,
        e.context_json, e.body
      FROM outbox o JOIN events e ON e.seq = o.seq
      WHERE o.sent_ms IS NULL AND o.seq > ? ORDER BY o.seq LIMIT ?`);
    this.destinationRows = db.prepare(`SELECT seq, type, value FROM event_links
      WHERE seq BETWEEN ? AND ? AND kind = 'destination' ORDER BY rowid`);
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
    const rows = this.unsentRows.all(afterSeq, Math.max(1, Math.floor(limit)));
    if (rows.length === 0) return [];
    const destinations = new Map<number, TypedValue[]>();
    for (const row of this.destinationRows.all(rows[0]!.seq, rows[rows.length - 1]!.seq)) {
      let list = destinations.get(row.seq);
      if (list === undefined) destinations.set(row.seq, (list = []));
      list.push([row.type, row.value]);
    }
    return rows.map((row) => ({
      seq: row.seq,
      enqueuedMs: row.enqueued_ms,
      eventId: row.event_id,
      hashId: row.hash_id,
      eventType: row.event_type,
      isDeclaration: row.is_declaration === 1,
      declarationTimeMs: row.declaration_time_ms,
      recordTimeMs: row.record_time_ms,
      originSite: row.origin_site,
      bizLocation: row.biz_location,
      destinations: destinations.get(row.seq) ?? [],
      contextJson: row.context_json,
      body: row.body,
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
