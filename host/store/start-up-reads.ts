// The store reads a state snapshot needs (host/state-snapshot/): how far the store goes, how many
// events follow a seq, and which store this is, told by two of its events (the first, and the one
// at the seq a snapshot covers). Events are never updated or deleted and seqs are never reused,
// so the same store always answers the same for a seq it holds; a replaced store does not.
import type { Database, Statement } from 'better-sqlite3';

/** The events that identify a store up to a seq: its first and the one at that seq. */
export interface StoreIdentity {
  first: IdentityRow;
  at: IdentityRow;
}

interface IdentityRow {
  seq: number;
  event_id: string;
  hash_id: string;
  declaration_time_ms: number | null;
}

export class StartUpReads {
  private readonly max: Statement<[], { seq: number | null }>;
  private readonly after: Statement<[number], { n: number }>;
  private readonly first: Statement<[], IdentityRow>;
  private readonly at: Statement<[number], IdentityRow>;

  constructor(db: Database) {
    this.max = db.prepare('SELECT max(seq) AS seq FROM events');
    // A range on the rowid: SQLite counts it without reading the rows' columns.
    this.after = db.prepare('SELECT count(*) AS n FROM events WHERE seq > ?');
    const columns = 'seq, event_id, hash_id, declaration_time_ms';
    this.first = db.prepare(`SELECT ${columns} FROM events ORDER BY seq LIMIT 1`);
    this.at = db.prepare(`SELECT ${columns} FROM events WHERE seq = ?`);
  }

  /** The highest seq stored, 0 when the store is empty. */
  maxSeq(): number {
    return this.max.get()?.seq ?? 0;
  }

  /** How many events are stored after `seq`. */
  countAfter(seq: number): number {
    return this.after.get(seq)?.n ?? 0;
  }

  /** The identity of the store up to `seq`, null when it holds no event at `seq`. */
  identity(seq: number): StoreIdentity | null {
    const first = this.first.get();
    const at = this.at.get(seq);
    return first === undefined || at === undefined ? null : { first, at };
  }
}
