// Cursor positions in the store's arrival order (events.seq). Cursors are seqs, never record times:
// synced events arrive with the record time their origin site gave them, which may be long ago.
import type { Database, Statement } from 'better-sqlite3';

// Below this many events recorded at or after the instant, walking seq downwards is cheapest.
const RECENT_CAP = 10_000;

export class StorePosition {
  private readonly head: Statement<[], { seq: number }>;
  private readonly recordedSince: Statement<[number, number], { n: number }>;
  private readonly lastRecordedBefore: Statement<[number], { seq: number }>;
  private readonly maxRecordedBefore: Statement<[number], { seq: number }>;

  constructor(db: Database) {
    this.head = db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events');
    this.recordedSince = db.prepare(
      'SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE record_time_ms >= ? LIMIT ?)',
    );
    // `+record_time_ms` keeps SQLite on the rowid walk: every row it passes was recorded at or after
    // the instant, so it reads at most RECENT_CAP + 1 rows.
    this.lastRecordedBefore = db.prepare(
      'SELECT seq FROM events WHERE +record_time_ms < ? ORDER BY seq DESC LIMIT 1',
    );
    this.maxRecordedBefore = db.prepare(
      'SELECT coalesce(max(seq), 0) AS seq FROM events WHERE record_time_ms < ?',
    );
  }

  /** The highest seq stored (0 when there is none). */
  headSeq(): number {
    return this.head.get()!.seq;
  }

  /** The highest seq of an event recorded before `ms` (0 when there is none). */
  seqAtRecordTime(ms: number): number {
    if (this.recordedSince.get(ms, RECENT_CAP)!.n < RECENT_CAP) {
      return this.lastRecordedBefore.get(ms)?.seq ?? 0;
    }
    return this.maxRecordedBefore.get(ms)!.seq;
  }
}
