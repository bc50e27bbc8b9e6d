// What a subscription reads, by arrival order (seq): events recorded from initialRecordTime among
// those stored when it was created, then every new matching event — including synced ones that
// arrive carrying an old record time, which a record-time cursor would skip.
import { describe, expect, it } from 'vitest';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import {
  type DeliveryPosition,
  readNextBatch,
  startPosition,
  subscriptionQuery,
} from '../../../host/queries/subscription-reader.js';
import { fakeCanon } from '../query/fake-canon.js';
import { insertEvent, openTestDb } from '../query/query-test-db.js';

const headOf = (db: ReturnType<typeof openTestDb>) => () =>
  db.prepare<[], { seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM events').get()!.seq;

function everything() {
  const parsed = parseEventQuery({ EQ_bizStep: 'shipping' }, fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return subscriptionQuery(parsed.query);
}

/** Reads batch after batch (advancing like a delivery would) until caught up with the head. */
function drain(db: ReturnType<typeof openTestDb>, position: DeliveryPosition, limit: number): number[] {
  const seqs: number[] = [];
  for (let i = 0; i < 100 && position.deliveredSeq < headOf(db)(); i++) {
    const batch = readNextBatch(db, everything(), position, limit, headOf(db));
    seqs.push(...batch.rows.map((r) => r.seq));
    expect(batch.throughSeq).toBeGreaterThan(position.deliveredSeq);
    position.deliveredSeq = batch.throughSeq;
  }
  return seqs;
}

describe('subscription reading', () => {
  it.each([1, 2, 1000])(
    'sends events recorded since initialRecordTime, then every new one, synced or not (batches of %i)',
    (limit) => {
      const db = openTestDb();
      const at = (recordTimeMs: number, step = 'shipping') =>
        insertEvent(db, { eventTimeMs: 1, recordTimeMs, bizStep: `https://ref.gs1.org/cbv/BizStep-${step}` });
      at(100);
      const localAfter = at(600);
      at(50); // synced before the subscription, recorded long before initialRecordTime
      at(650, 'receiving');
      const alsoAfter = at(700);

      const position = startPosition(db, 500, headOf(db)());
      expect(drain(db, position, limit)).toEqual([localAfter, alsoAfter]);

      const syncedLater = at(40); // arrives after the subscription with an old record time
      const capturedLater = at(900);
      at(950, 'receiving');
      expect(drain(db, position, limit)).toEqual([syncedLater, capturedLater]);
    },
  );

  it('starts at the head when nothing was recorded since initialRecordTime', () => {
    const db = openTestDb();
    insertEvent(db, { eventTimeMs: 1, recordTimeMs: 100, bizStep: 'shipping' });

    expect(startPosition(db, 500, headOf(db)())).toEqual({
      deliveredSeq: 1,
      catchUpSeq: 1,
      initialRecordTimeMs: 500,
    });
  });
});
