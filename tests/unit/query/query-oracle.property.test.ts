import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AccessPath, compositePair } from '../../../host/query/access-path.js';
import { compileEventQuery } from '../../../host/query/compile-query.js';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { runEventQuery } from '../../../host/query/run-query.js';
import { dl, fakeCanon } from './fake-canon.js';
import { insertEvent, openTestDb } from './query-test-db.js';

// SQL against the real schema must agree with the obvious in-memory reading of the same parameters.
const TYPES = ['ObjectEvent', 'AggregationEvent', 'TransformationEvent'];
const STEPS = ['shipping', 'receiving', 'packing'];
const ITEM_REFS = ['107346', '200000'];
const T0 = Date.UTC(2026, 0, 1);
const CBV = 'https://ref.gs1.org/cbv/BizStep-';
const LOCATIONS = ['https://id.gs1.org/414/0614141000016', 'https://id.gs1.org/414/0614141000023'];

const item = fc.record({ ref: fc.constantFrom(...ITEM_REFS), serial: fc.integer({ min: 1, max: 6 }) });
const urn = (i: { ref: string; serial: number }) => `urn:epc:id:sgtin:0614141.${i.ref}.${i.serial}`;

const row = fc.record({
  type: fc.constantFrom(...TYPES),
  minute: fc.integer({ min: 0, max: 20 }),
  step: fc.option(fc.constantFrom(...STEPS), { nil: null }),
  location: fc.option(fc.constantFrom(...LOCATIONS), { nil: null }),
  epcs: fc.array(item, { maxLength: 3 }),
});

const query = fc.record({
  types: fc.option(fc.subarray(TYPES, { minLength: 1 }), { nil: null }),
  geMinute: fc.option(fc.integer({ min: 0, max: 21 }), { nil: null }),
  ltMinute: fc.option(fc.integer({ min: 0, max: 21 }), { nil: null }),
  steps: fc.option(fc.subarray(STEPS, { minLength: 1 }), { nil: null }),
  locations: fc.option(fc.subarray(LOCATIONS, { minLength: 1 }), { nil: null }),
  epcs: fc.option(
    fc.array(
      fc.oneof(
        item.map((i) => ({ text: urn(i), matches: (e: string) => e === urn(i) })),
        item.map((i) => ({ text: dl(urn(i)), matches: (e: string) => e === urn(i) })),
        fc.constantFrom(...ITEM_REFS).map((ref) => ({
          text: `urn:epc:idpat:sgtin:0614141.${ref}.*`,
          matches: (e: string) => e.startsWith(`urn:epc:id:sgtin:0614141.${ref}.`),
        })),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    { nil: null },
  ),
});

describe('event queries against an in-memory oracle', () => {
  it('return exactly the rows a direct filter selects, in arrival order (time order when time-bounded)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), query, (rows, q) => {
        const db = openTestDb();
        const seqs = rows.map((r) =>
          insertEvent(db, {
            type: r.type,
            eventTimeMs: T0 + r.minute * 60_000,
            bizStep: r.step === null ? null : CBV + r.step,
            bizLocation: r.location,
            epcs: r.epcs.map((i) => [dl(urn(i)), r.type === 'AggregationEvent' ? 'childEPCs' : 'epcList']),
          }),
        );
        const params = new URLSearchParams();
        if (q.types) params.set('eventType', q.types.join('|'));
        if (q.geMinute !== null) params.set('GE_eventTime', new Date(T0 + q.geMinute * 60_000).toISOString());
        if (q.ltMinute !== null) params.set('LT_eventTime', new Date(T0 + q.ltMinute * 60_000).toISOString());
        if (q.steps) params.set('EQ_bizStep', q.steps.join('|'));
        if (q.locations) params.set('EQ_bizLocation', q.locations.join('|'));
        if (q.epcs) params.set('MATCH_epc', q.epcs.map((m) => m.text).join('|'));

        const parsed = parseEventQuery(params, fakeCanon);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const actual = runEventQuery(db, parsed.query, { limit: 1000 }).rows.map((r) => r.seq);

        const expected = rows
          .map((r, i) => ({ ...r, seq: seqs[i]! }))
          .filter(
            (r) =>
              (q.types === null || q.types.includes(r.type)) &&
              (q.geMinute === null || r.minute >= q.geMinute) &&
              (q.ltMinute === null || r.minute < q.ltMinute) &&
              (q.steps === null || (r.step !== null && q.steps.includes(r.step))) &&
              (q.locations === null || (r.location !== null && q.locations.includes(r.location))) &&
              (q.epcs === null || r.epcs.some((i) => q.epcs!.some((m) => m.matches(urn(i))))),
          )
          // Without orderBy a time-bounded query is read in eventTime order (query-draft.ts).
          .sort(
            (a, b) => (q.geMinute !== null || q.ltMinute !== null ? a.minute - b.minute : 0) || a.seq - b.seq,
          )
          .map((r) => r.seq);
        expect(actual).toEqual(expected);

        // Whichever index the query starts from, the rows are the same.
        const paths: AccessPath[] = [{ kind: 'auto' }, { kind: 'order' }];
        parsed.query.filters.forEach((_f, index) => {
          paths.push({ kind: 'filter', index });
          for (let other = index + 1; other < parsed.query.filters.length; other++) {
            paths.push({ kind: 'intersect', indexes: [index, other] });
          }
        });
        const pair = compositePair(parsed.query.filters);
        if (pair !== null) paths.push({ kind: 'composite', indexes: pair });
        for (const access of paths) {
          const { sql, params: bound } = compileEventQuery(parsed.query, { limit: 1000 }, access);
          expect((db.prepare(sql).all(...bound) as { seq: number }[]).map((r) => r.seq)).toEqual(expected);
        }
        db.close();
      }),
      { numRuns: 300 },
    );
  });
});
