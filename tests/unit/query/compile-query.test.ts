import { describe, expect, it } from 'vitest';
import { chooseAccessPath, probeWith, type AccessPath } from '../../../host/query/access-path.js';
import { compileEventCount, compileEventQuery } from '../../../host/query/compile-query.js';
import type { EventQuery } from '../../../host/query/event-query.js';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { fakeCanon } from './fake-canon.js';
import { GATE, ITEM1, PLANT, insertStory } from './query-fixture.js';
import { openTestDb } from './query-test-db.js';

function parse(search: string | Record<string, string>): EventQuery {
  const parsed = parseEventQuery(new URLSearchParams(search), fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return parsed.query;
}

const HOSTILE = "x'); DROP TABLE events; --";

describe('compileEventQuery', () => {
  it('binds every value as a parameter, never as SQL text, whatever the access path', () => {
    const query = parse({
      eventType: `https://example.com/${encodeURIComponent(HOSTILE)}`,
      EQ_bizStep: `https://example.com/${HOSTILE.replace(/ /g, '_')}`,
      [`EQ_ex:note`]: HOSTILE,
      [`GT_ex:n`]: '42.125',
      [`EQ_ex:when`]: '2026-03-01T08:00:00Z|7',
      [`LE_SENSORREPORT_ex:t`]: '2026-03-01T08:00:00Z',
      GE_value_CEL: '4',
      EQ_readPoint: GATE,
      MATCH_epc: ITEM1,
      EQ_eventID: 'urn:uuid:11111111-2222-4333-8444-555555555555',
      orderBy: 'ex:rank',
    });
    const paths: AccessPath[] = [{ kind: 'auto' }, { kind: 'order' }, { kind: 'intersect', indexes: [0, 4] }];
    query.filters.forEach((_f, index) => paths.push({ kind: 'filter', index }));
    for (const access of paths) {
      const after = { sortValue: 'rank-7', seq: 99, returned: 30 };
      for (const { sql, params } of [
        compileEventQuery(query, { afterKey: after, limit: 31 }, access),
        compileEventCount(query, 11, access),
      ]) {
        for (const value of [
          HOSTILE,
          'DROP',
          'example.com',
          '42.125',
          '11111111',
          'rank-7',
          'ex:note',
          'ex:rank',
        ]) {
          expect(sql).not.toContain(value);
        }
        expect(sql.split('?').length - 1).toBe(params.length);
      }
    }
  });

  it('starts selective queries from an index, never from a scan of all events', () => {
    const db = openTestDb();
    insertStory(db);
    const selective = [
      `MATCH_epc=${ITEM1}`,
      `MATCH_anyEPC=urn:epc:idpat:sgtin:0614141.107346.*`,
      'EQ_eventID=urn:test:ship',
      `EQ_readPoint=${GATE}`,
      `EQ_bizLocation=${PLANT}&GE_eventTime=2026-03-01T00:00:00Z&LT_eventTime=2026-03-02T00:00:00Z`,
      'GE_eventTime=2026-03-01T00:00:00Z&LT_eventTime=2026-03-02T00:00:00Z',
      'EQ_bizTransaction_po=urn:epcglobal:cbv:bt:0614141073467:PO-1',
      'EQ_correctiveEventID=urn:test:corrective',
      'EXISTS_errorDeclaration=true',
      'EQ_errorReason=did_not_occur',
      'orderBy=eventTime&eventCountLimit=1',
    ];
    for (const search of selective) {
      const query = parse(search);
      const access = chooseAccessPath(query, probeWith(db));
      const { sql, params } = compileEventQuery(query, { limit: 31 }, access);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(
        plan.filter((line) => /^SCAN e\b(?! USING)/.test(line)),
        `${search}\n${plan.join('\n')}`,
      ).toEqual([]);
    }
  });

  it('reads a location and an eventTime window from the (biz_location, event_time_ms) index together', () => {
    const db = openTestDb();
    insertStory(db);
    const query = parse(
      `EQ_bizLocation=${PLANT}&GE_eventTime=2026-03-01T00:00:00Z&LT_eventTime=2026-03-02T00:00:00Z`,
    );
    const access = chooseAccessPath(query, probeWith(db));
    expect(access.kind).toBe('composite');
    const { sql, params } = compileEventQuery(query, { limit: 31 }, access);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (r) => r.detail,
    );
    expect(plan.join('\n')).toMatch(
      /events_by_biz_location_time \(biz_location=\? AND event_time_ms>\? AND event_time_ms<\?\)/,
    );
  });
});
