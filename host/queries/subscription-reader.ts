// Reads what a subscription has not received yet, in arrival order, with the same SQL compiler as
// GET /events. A subscription starts at initialRecordTime: of the events already stored when it was
// created (seq ≤ catchUpSeq) it gets those recorded at or after that time; of every event stored
// later it gets all that match, whatever their record time — a synced event arriving now with an
// old record time is still new to the subscriber, and positions are seqs so it is never skipped.
import type { Database } from 'better-sqlite3';
import type { EventQuery, StoredEventRow } from '../query/event-query.js';
import { liveQuery, readFeedBatch } from '../live/feed-batch.js';

export interface DeliveryPosition {
  /** Every matching event with seq ≤ this has been delivered. */
  deliveredSeq: number;
  catchUpSeq: number;
  initialRecordTimeMs: number;
}

export interface EventBatch {
  rows: StoredEventRow[];
  /** Once this batch is delivered, every matching event with seq ≤ throughSeq has been. */
  throughSeq: number;
}

/**
 * A named query as a subscription runs it: the live feed's form (arrival order, whole). orderBy,
 * eventCountLimit and maxEventCount shape one answer to a client paging through results; a
 * subscription is an unending sequence of answers, so they do not apply to it.
 */
export const subscriptionQuery = liveQuery;

/**
 * Where a new subscription starts: just before the first stored event recorded at or after
 * `initialRecordTimeMs`. Not "the last event recorded before it": a synced event with an old record
 * time may sit at a high seq, after local events recorded later, and those must not be skipped.
 */
export function startPosition(db: Database, initialRecordTimeMs: number, headSeq: number): DeliveryPosition {
  const first = db
    .prepare<[number], { seq: number | null }>('SELECT min(seq) AS seq FROM events WHERE record_time_ms >= ?')
    .get(initialRecordTimeMs)!.seq;
  return {
    deliveredSeq: first === null ? headSeq : Math.min(first - 1, headSeq),
    catchUpSeq: headSeq,
    initialRecordTimeMs,
  };
}

/** Events recorded at or after `fromMs` only (the catch-up over events that existed at subscription). */
export function recordedFrom(query: EventQuery, fromMs: number): EventQuery {
  return {
    ...query,
    filters: [...query.filters, { kind: 'time-range', column: 'record_time_ms', geMs: fromMs }],
  };
}

/**
 * The next at most `limit` undelivered events, and at most `maxBytes` of them (beyond the first);
 * `query` must come from subscriptionQuery().
 */
export function readNextBatch(
  db: Database,
  query: EventQuery,
  position: DeliveryPosition,
  limit: number,
  headSeq: () => number,
  maxBytes = Number.POSITIVE_INFINITY,
): EventBatch {
  if (position.deliveredSeq < position.catchUpSeq) {
    // The catch-up ends at catchUpSeq: later events come without the record-time condition.
    const recorded = recordedFrom(query, position.initialRecordTimeMs);
    const page = readFeedBatch(db, recorded, position.deliveredSeq, limit, position.catchUpSeq, maxBytes);
    const rows = page.rows.filter((row) => row.seq <= position.catchUpSeq);
    const last = rows.at(-1);
    const catchUpContinues = page.more && rows.length === page.rows.length && last !== undefined;
    return { rows, throughSeq: catchUpContinues ? last.seq : position.catchUpSeq };
  }
  // After the catch-up a subscription reads exactly as the live feed does.
  const batch = readFeedBatch(db, query, position.deliveredSeq, limit, headSeq(), maxBytes);
  return { rows: batch.rows, throughSeq: batch.through };
}
