// Webhook subscriptions in SQLite (migration 004). The delivery position moves only in
// recordDelivered(), which the worker calls after the receiver answered 2xx: one statement, so the
// acknowledgement and the new position are committed together or not at all. Every write goes
// through the write queue (host/store/write-queue.ts) and resolves after its commit: the webhook
// runner writes after every delivery, and must not wait on SQLite's lock on the event loop.
import type { Database, Statement } from 'better-sqlite3';
import { sqliteCode } from '../store/storage-failure.js';
import type { WriteQueue } from '../store/write-queue.js';
import type { Schedule } from './schedule.js';

export interface Subscription {
  subscriptionId: string;
  queryName: string;
  dest: string;
  signatureToken: string | null;
  /** null: a stream subscription. */
  schedule: Schedule | null;
  reportIfEmpty: boolean;
  epcFormat: string;
  initialRecordTimeMs: number;
  /** The head seq when it was created: events up to it count only when recorded at/after initialRecordTime. */
  catchUpSeq: number;
  /** Every matching event with seq ≤ this was acknowledged by the receiver. */
  deliveredSeq: number;
  createdMs: number;
  lastNotifiedMs: number | null;
  failedAttempts: number;
  nextAttemptMs: number | null;
  lastError: string | null;
}

interface Row {
  subscription_id: string;
  query_name: string;
  dest: string;
  signature_token: string | null;
  schedule_json: string | null;
  report_if_empty: number;
  epc_format: string;
  initial_record_time_ms: number;
  catch_up_seq: number;
  delivered_seq: number;
  created_ms: number;
  last_notified_ms: number | null;
  failed_attempts: number;
  next_attempt_ms: number | null;
  last_error: string | null;
}

const fromRow = (row: Row): Subscription => ({
  subscriptionId: row.subscription_id,
  queryName: row.query_name,
  dest: row.dest,
  signatureToken: row.signature_token,
  schedule: row.schedule_json === null ? null : (JSON.parse(row.schedule_json) as Schedule),
  reportIfEmpty: row.report_if_empty === 1,
  epcFormat: row.epc_format,
  initialRecordTimeMs: row.initial_record_time_ms,
  catchUpSeq: row.catch_up_seq,
  deliveredSeq: row.delivered_seq,
  createdMs: row.created_ms,
  lastNotifiedMs: row.last_notified_ms,
  failedAttempts: row.failed_attempts,
  nextAttemptMs: row.next_attempt_ms,
  lastError: row.last_error,
});

const COLUMNS = `subscription_id, query_name, dest, signature_token, schedule_json, report_if_empty, epc_format,
  initial_record_time_ms, catch_up_seq, delivered_seq, created_ms, last_notified_ms, failed_attempts,
  next_attempt_ms, last_error`;

export class SubscriptionStore {
  private readonly insert: Statement;
  private readonly byId: Statement<[string, string], Row>;
  private readonly byQuery: Statement<[string], Row>;
  private readonly everyOne: Statement<[], Row>;
  private readonly remove: Statement<[string, string]>;
  private readonly delivered: Statement<[number, number, string]>;
  private readonly failed: Statement<[number, string, string]>;
  private readonly advanced: Statement<[number, string]>;

  constructor(
    db: Database,
    private readonly writes: WriteQueue,
  ) {
    this.insert = db.prepare(
      `INSERT INTO subscriptions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = db.prepare(
      `SELECT ${COLUMNS} FROM subscriptions WHERE query_name = ? AND subscription_id = ?`,
    );
    this.byQuery = db.prepare(
      `SELECT ${COLUMNS} FROM subscriptions WHERE query_name = ? ORDER BY created_ms, subscription_id`,
    );
    this.everyOne = db.prepare(`SELECT ${COLUMNS} FROM subscriptions ORDER BY created_ms, subscription_id`);
    this.remove = db.prepare('DELETE FROM subscriptions WHERE query_name = ? AND subscription_id = ?');
    // MAX(): a position never moves backwards, whatever order two writers might commit in.
    this.delivered = db.prepare(
      `UPDATE subscriptions SET delivered_seq = MAX(delivered_seq, ?), last_notified_ms = ?, failed_attempts = 0,
         next_attempt_ms = NULL, last_error = NULL WHERE subscription_id = ?`,
    );
    this.advanced = db.prepare(
      'UPDATE subscriptions SET delivered_seq = MAX(delivered_seq, ?) WHERE subscription_id = ?',
    );
    this.failed = db.prepare(
      `UPDATE subscriptions SET failed_attempts = failed_attempts + 1, next_attempt_ms = ?, last_error = ?
         WHERE subscription_id = ?`,
    );
  }

  /**
   * Resolves once the subscription is committed, with false when its named query is gone: a delete
   * committed between the route's check and this write (the foreign key refuses the row).
   */
  create(s: Subscription): Promise<boolean> {
    return this.writes.write(() => {
      try {
        this.insertRow(s);
        return true;
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') return false;
        throw error;
      }
    });
  }

  private insertRow(s: Subscription): void {
    this.insert.run(
      s.subscriptionId,
      s.queryName,
      s.dest,
      s.signatureToken,
      s.schedule === null ? null : JSON.stringify(s.schedule),
      s.reportIfEmpty ? 1 : 0,
      s.epcFormat,
      s.initialRecordTimeMs,
      s.catchUpSeq,
      s.deliveredSeq,
      s.createdMs,
      s.lastNotifiedMs,
      s.failedAttempts,
      s.nextAttemptMs,
      s.lastError,
    );
  }

  get(queryName: string, subscriptionId: string): Subscription | null {
    const row = this.byId.get(queryName, subscriptionId);
    return row === undefined ? null : fromRow(row);
  }

  forQuery(queryName: string): Subscription[] {
    return this.byQuery.all(queryName).map(fromRow);
  }

  all(): Subscription[] {
    return this.everyOne.all().map(fromRow);
  }

  /** Resolves once committed, with false when there was no such subscription. */
  delete(queryName: string, subscriptionId: string): Promise<boolean> {
    return this.writes.write(() => this.remove.run(queryName, subscriptionId).changes === 1);
  }

  /** The receiver acknowledged everything up to `throughSeq`; false when the subscription is gone. */
  recordDelivered(subscriptionId: string, throughSeq: number, nowMs: number): Promise<boolean> {
    return this.writes.write(() => this.delivered.run(throughSeq, nowMs, subscriptionId).changes === 1);
  }

  /** Nothing matched up to `throughSeq`: the position moves without a delivery. */
  advance(subscriptionId: string, throughSeq: number): Promise<void> {
    return this.writes.write(() => {
      this.advanced.run(throughSeq, subscriptionId);
    });
  }

  recordFailure(subscriptionId: string, nextAttemptMs: number, error: string): Promise<void> {
    return this.writes.write(() => {
      this.failed.run(nextAttemptMs, error.slice(0, 500), subscriptionId);
    });
  }
}
