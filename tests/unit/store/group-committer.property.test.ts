// Random interleavings of concurrent submits, with repeated events and declarations, against a
// simple model: every event identity is stored at most once, exactly when some request carrying it
// succeeded, and every outcome agrees with the rows in the database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateEventError } from '../../../host/store/errors.js';
import type { StoreOutcome } from '../../../host/store/event-writer.js';
import type { WriteRequest } from '../../../host/store/group-committer.js';
import { declarationOf, openStore, toStore } from './helpers/store-fixtures.js';

type Item = { id: string; declaredAt: number | null };
type Step =
  { kind: 'submit'; items: Item[]; mode: WriteRequest['mode'] } | { kind: 'tick' } | { kind: 'flushNow' };

const item = fc.record({
  id: fc.constantFrom('e0', 'e1', 'e2', 'e3', 'e4'),
  declaredAt: fc.option(fc.constantFrom(1, 2), { freq: 3 }),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      items: fc.array(item, { maxLength: 4 }),
      mode: fc.constantFrom('each' as const, 'all-or-nothing' as const),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flushNow' as const }) },
);

const keyOf = (i: Item) => (i.declaredAt === null ? i.id : `${i.id}@${i.declaredAt}`);

describe('GroupCommitter under random interleavings', () => {
  it('stores each event exactly once and reports outcomes that match the database', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.integer({ min: 1, max: 8 }),
        async (steps, maxBatchEvents) => {
          const store = openStore(':memory:', maxBatchEvents);
          try {
            const submitted: {
              items: Item[];
              mode: WriteRequest['mode'];
              result: Promise<StoreOutcome[]>;
            }[] = [];
            for (const s of steps) {
              if (s.kind === 'tick') await new Promise((resolve) => setImmediate(resolve));
              else if (s.kind === 'flushNow') store.committer.flushNow();
              else {
                const events = s.items.map((i) =>
                  i.declaredAt === null ? toStore(i.id) : declarationOf(i.id, i.declaredAt),
                );
                const result = store.committer.submit({ events, mode: s.mode });
                // Settled below with allSettled; a rejection may land during a later tick, before that.
                result.catch(() => undefined);
                submitted.push({ ...s, result });
              }
            }
            const settled = await Promise.allSettled(submitted.map((s) => s.result));

            const rows = store.db.prepare('SELECT seq, event_id, declaration_time_ms FROM events').all() as {
              seq: number;
              event_id: string;
              declaration_time_ms: number | null;
            }[];
            const seqOf = new Map<string, number>();
            for (const r of rows) {
              const key = keyOf({ id: r.event_id, declaredAt: r.declaration_time_ms });
              expect(seqOf.has(key), `${key} stored twice`).toBe(false);
              seqOf.set(key, r.seq);
            }

            const succeeded = new Set<string>();
            const storedBy = new Map<string, number>();
            settled.forEach((result, r) => {
              const { items, mode } = submitted[r]!;
              if (result.status === 'rejected') {
                expect(mode).toBe('all-or-nothing');
                expect(result.reason).toBeInstanceOf(DuplicateEventError);
                return;
              }
              result.value.forEach((outcome, i) => {
                const key = keyOf(items[i]!);
                succeeded.add(key);
                if (outcome.kind === 'duplicate') {
                  expect(outcome.existingSeq).toBe(seqOf.get(key));
                  return;
                }
                storedBy.set(key, (storedBy.get(key) ?? 0) + 1);
                expect(outcome.seq).toBe(seqOf.get(key));
                if (outcome.kind === 'declaration-linked') {
                  const original = seqOf.get(items[i]!.id);
                  expect(outcome.declaredSeq).toBe(
                    original !== undefined && original < outcome.seq ? original : null,
                  );
                }
              });
            });
            expect(new Set(seqOf.keys())).toEqual(succeeded);
            for (const key of succeeded) expect(storedBy.get(key), key).toBe(1);
            expect((store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(
              rows.length,
            );
            expect((store.db.prepare('SELECT count(*) AS n FROM event_epcs').get() as { n: number }).n).toBe(
              2 * rows.length,
            );
          } finally {
            await store.committer.close();
            store.db.close();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
