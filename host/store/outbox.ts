// The sync relay's view of the outbox: events captured here that the broker has not confirmed yet,
// in seq (capture) order. Rows are marked sent, never deleted here, so a relay restart resumes
// from the first unconfirmed seq.
import type { Database, Statement } from 'better-sqlite3';

export interface OutboxEntry {
  seq: number;
  enqueuedMs: number;
  eventId: string;
  hashId: string;
  isDeclaration: boolean;
  declarationTimeMs: number | null;
  recordTimeMs: number;
  originSite: string;
  contextJson: string | null;
  body: string;
}

interface OutboxRow {
  seq: number;
  enqueued_ms: number;
  event_id: string;
  hash_id: string;
  is_declaration: number;
  declaration_time_ms: number | null;
  record_time_ms: number;
  origin_site: string;
  context_json: string | null;
  body: string;
}

export class Outbox {
  private readonly unsentRows: Statement<[number], OutboxRow>;
  private readonly mark: Statement<[number, string]>;
  private readonly count: Statement<[], { n: number }>;
  private readonly oldest: Statement<[], { enqueued_ms: number }>;

  constructor(db: Database) {
    this.unsentRows = db.prepare(`SELECT o.seq, o.enqueued_ms, e.event_id, e.hash_id, e.is_declaration,
        e.declaration_time_ms, e.record_time_ms, e.origin_site, e.context_json, e.body
      FROM outbox o JOIN events e ON e.seq = o.seq
      WHERE o.sent_ms IS NULL ORDER BY o.seq LIMIT ?`);
    // One statement for the whole list: atomic without a transaction of its own.
    this.mark = db.prepare(`UPDATE outbox SET sent_ms = ?
      WHERE sent_ms IS NULL AND seq IN (SELECT value FROM json_each(?))`);
    this.count = db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_ms IS NULL');
    this.oldest = db.prepare('SELECT enqueued_ms FROM outbox WHERE sent_ms IS NULL ORDER BY seq LIMIT 1');
  }

  /** The oldest unsent entries, in seq order. */
  unsent(limit: number): OutboxEntry[] {
    return this.unsentRows.all(Math.max(1, Math.floor(limit))).map((row) => ({
      seq: row.seq,
      enqueuedMs: row.enqueued_ms,
      eventId: row.event_id,
      hashId: row.hash_id,
      isDeclaration: row.is_declaration === 1,
      declarationTimeMs: row.declaration_time_ms,
      recordTimeMs: row.record_time_ms,
      originSite: row.origin_site,
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
