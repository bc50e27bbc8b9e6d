// The SQLite side of DATA_DIR/inbound/ (migration 006): which inbound seq each event the sidecar
// stored by another path than the journal got, kept until its record is durable in a segment.
// record() runs inside the store's transaction, on whichever connection writes the events (this
// thread's group commit or the ingest worker's), so an event and its inbound seq commit together.
import type { Database, Statement } from 'better-sqlite3';
import type { StoredStateEvent } from '../core/types.js';
import { STATE_EVENT_COLUMNS, type StateEventRow, toStateEvent } from '../store/state-event-row.js';

/** One event waiting for (or being written to) its inbound record. */
export interface InboundEvent {
  inboundSeq: number;
  /** Null unless the event is an error declaration (its duplicate key includes it). */
  declarationTimeMs: number | null;
  state: StoredStateEvent;
}

interface PendingRow extends StateEventRow {
  inbound_seq: number;
  declaration_time_ms: number | null;
  epc: string | null;
  role: StoredStateEvent['epcs'][number][1] | null;
}

export class InboundLedger {
  private readonly assigned: Statement<[], { assigned_seq: number }>;
  private readonly setAssigned: Statement<[number]>;
  private readonly insertPending: Statement<[number, number]>;
  private readonly prunePending: Statement<[number]>;
  private readonly pending: Statement<[number, number], PendingRow>;

  constructor(db: Database) {
    this.assigned = db.prepare('SELECT assigned_seq FROM inbound_position WHERE id = 1');
    this.setAssigned = db.prepare(
      `INSERT INTO inbound_position (id, assigned_seq) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET assigned_seq = excluded.assigned_seq`,
    );
    this.insertPending = db.prepare('INSERT INTO inbound_pending (inbound_seq, event_seq) VALUES (?, ?)');
    this.prunePending = db.prepare('DELETE FROM inbound_pending WHERE inbound_seq <= ?');
    // event_epcs rows in rowid order: the order the event listed them, as the rebuild reads them.
    this.pending =
      db.prepare(`SELECT p.inbound_seq, e.declaration_time_ms, ${STATE_EVENT_COLUMNS}, x.epc, x.role
      FROM inbound_pending p JOIN events e ON e.seq = p.event_seq
      LEFT JOIN event_epcs x ON x.seq = e.seq
      WHERE p.inbound_seq IN (SELECT inbound_seq FROM inbound_pending WHERE inbound_seq > ? ORDER BY inbound_seq LIMIT ?)
      ORDER BY p.inbound_seq, x.rowid`);
  }

  /** The highest inbound seq handed out; 0 before the first. */
  assignedSeq(): number {
    return this.assigned.get()?.assigned_seq ?? 0;
  }

  /** Must run inside the transaction that stores these events: numbers them, in order. */
  record(eventSeqs: readonly number[]): void {
    if (eventSeqs.length === 0) return;
    let seq = this.assignedSeq();
    for (const eventSeq of eventSeqs) this.insertPending.run(++seq, eventSeq);
    this.setAssigned.run(seq);
  }

  /**
   * After a lost database (restored from a backup) the segments may hold higher seqs than SQLite
   * assigned: numbering goes on after them, so seqs in the files stay dense and never repeat.
   */
  raiseAssigned(atLeast: number): void {
    if (this.assignedSeq() < atLeast) this.setAssigned.run(atLeast);
  }

  /** Up to `limit` pending events after `afterSeq`, in seq order, with their state entries. */
  pendingAfter(afterSeq: number, limit: number): InboundEvent[] {
    const events: InboundEvent[] = [];
    let last: InboundEvent | undefined;
    for (const row of this.pending.iterate(afterSeq, limit)) {
      if (last?.inboundSeq !== row.inbound_seq) {
        last = {
          inboundSeq: row.inbound_seq,
          declarationTimeMs: row.declaration_time_ms,
          state: toStateEvent(row),
        };
        events.push(last);
      }
      if (row.epc !== null && row.role !== null) last.state.epcs.push([row.epc, row.role]);
    }
    return events;
  }

  /** Forgets the pending rows whose records are durable. */
  prune(throughSeq: number): void {
    this.prunePending.run(throughSeq);
  }
}
