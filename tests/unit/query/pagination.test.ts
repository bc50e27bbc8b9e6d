import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventQuery, PageKey } from '../../../host/query/event-query.js';
import { issuePageToken, openPageToken } from '../../../host/query/page-token.js';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { runEventQuery } from '../../../host/query/run-query.js';
import { fakeCanon } from './fake-canon.js';
import { insertEvent, openTestDb } from './query-test-db.js';
import { seeded } from '../../helpers/seeded-random.js';

const T0 = Date.UTC(2026, 0, 1);
const secret = randomBytes(32);
let db: Database;

interface Stored {
  seq: number;
  eventTimeMs: number;
  recordTimeMs: number;
  rank: number | string | null;
}
let stored: Stored[];

// Deterministic pseudo-random numbers, so a failure can be replayed.
const random = seeded(42);

function insert(): Stored {
  // Few distinct times, so many rows tie on the order key and seq has to break the ties.
  const eventTimeMs = T0 + Math.floor(random() * 50) * 60_000;
  const recordTimeMs = T0 + Math.floor(random() * 50) * 1000;
  const r = random();
  const rank = r < 0.2 ? null : r < 0.6 ? Math.floor(r * 40) : `r-${Math.floor(r * 40)}`;
  const body = rank === null ? { type: 'ObjectEvent' } : { type: 'ObjectEvent', 'ex:rank': rank };
  const seq = insertEvent(db, {
    eventTimeMs,
    recordTimeMs,
    bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
    body,
  });
  const row = { seq, eventTimeMs, recordTimeMs, rank };
  stored.push(row);
  return row;
}

function parse(search: string): EventQuery {
  const parsed = parseEventQuery(new URLSearchParams(search), fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return parsed.query;
}

/** Follows nextPageToken links like a client would; `between` runs after each page. */
function walk(search: string, between: () => void = () => {}): { seqs: number[]; pages: number[] } {
  const seqs: number[] = [];
  const pages: number[] = [];
  let token: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const query = parse(token === null ? search : `${search}&nextPageToken=${encodeURIComponent(token)}`);
    let afterKey: PageKey | undefined;
    if (query.nextPageToken !== null) {
      const opened = openPageToken(query.nextPageToken, query, { secret, nowMs: T0 });
      if (!opened.ok) throw new Error(opened.problem.detail);
      afterKey = opened.key;
    }
    const page = runEventQuery(db, query, { afterKey, limit: query.perPage });
    seqs.push(...page.rows.map((r) => r.seq));
    pages.push(page.rows.length);
    if (page.nextPageKey === null) return { seqs, pages };
    token = issuePageToken(page.nextPageKey, query, { secret, nowMs: T0, ttlMs: 60_000 }).token;
    between();
  }
  throw new Error('pagination did not end');
}

// SQLite's order for the extension key: numbers, then strings, then the missing-field sentinel.
const rankKey = (rank: Stored['rank']): [number, number | string] =>
  rank === null ? [2, ''] : typeof rank === 'number' ? [0, rank] : [1, rank];
function compare(a: [number, number | string], b: [number, number | string]): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

const orders: [string, string, (a: Stored, b: Stored) => number][] = [
  ['arrival (no orderBy)', '', (a, b) => a.seq - b.seq],
  [
    'eventTime ASC',
    '&orderBy=eventTime&orderDirection=ASC',
    (a, b) => a.eventTimeMs - b.eventTimeMs || a.seq - b.seq,
  ],
  [
    'eventTime DESC (default direction)',
    '&orderBy=eventTime',
    (a, b) => b.eventTimeMs - a.eventTimeMs || b.seq - a.seq,
  ],
  [
    'recordTime ASC',
    '&orderBy=recordTime&orderDirection=ASC',
    (a, b) => a.recordTimeMs - b.recordTimeMs || a.seq - b.seq,
  ],
  [
    'an extension field ASC',
    '&orderBy=ex:rank&orderDirection=ASC',
    (a, b) => compare(rankKey(a.rank), rankKey(b.rank)) || a.seq - b.seq,
  ],
  [
    'eventTime ASC, started from the bizStep index',
    '&EQ_bizStep=shipping&orderBy=eventTime&orderDirection=ASC',
    (a, b) => a.eventTimeMs - b.eventTimeMs || a.seq - b.seq,
  ],
  ['arrival, started from the bizStep index', '&EQ_bizStep=shipping', (a, b) => a.seq - b.seq],
  [
    'eventTime ASC, implied by a time window',
    `&GE_eventTime=${new Date(T0).toISOString()}`,
    (a, b) => a.eventTimeMs - b.eventTimeMs || a.seq - b.seq,
  ],
  [
    'an extension field DESC',
    '&orderBy=ex:rank&orderDirection=DESC',
    (a, b) => compare(rankKey(b.rank), rankKey(a.rank)) || b.seq - a.seq,
  ],
];

beforeEach(() => {
  db = openTestDb();
  stored = [];
  for (let i = 0; i < 1000; i++) insert();
});

describe('paging through GET /events', () => {
  it.each(orders)('visits all 1000 rows exactly once, in order, 7 per page: %s', (_name, order, cmp) => {
    const { seqs, pages } = walk(`perPage=7${order}`);
    expect(seqs).toEqual([...stored].sort(cmp).map((r) => r.seq));
    expect(pages.length).toBe(Math.ceil(1000 / 7));
    expect(pages.slice(0, -1).every((n) => n === 7)).toBe(true);
  });

  it.each(orders)(
    'never skips or repeats a row when events arrive between pages: %s',
    (_name, order, cmp) => {
      const before = new Set(stored.map((r) => r.seq));
      const { seqs } = walk(`perPage=7${order}`, () => {
        insert();
        insert();
      });
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.filter((s) => before.has(s))).toEqual(
        [...stored]
          .filter((r) => before.has(r.seq))
          .sort(cmp)
          .map((r) => r.seq),
      );
      const bySeq = new Map(stored.map((r) => [r.seq, r]));
      const visited = seqs.map((s) => bySeq.get(s)!);
      expect(visited.every((row, i) => i === 0 || cmp(visited[i - 1]!, row) < 0)).toBe(true);
    },
  );

  it('reaches events captured during the walk when ordering by arrival', () => {
    const { seqs } = walk('perPage=7', () => {
      if (stored.length < 1100) insert();
    });
    expect(seqs).toEqual(stored.map((r) => r.seq));
  });

  it('truncates at eventCountLimit across pages', () => {
    const { seqs, pages } = walk('perPage=7&orderBy=eventTime&eventCountLimit=20');
    expect(pages).toEqual([7, 7, 6]);
    expect(seqs).toEqual(
      [...stored]
        .sort(orders[2]![2])
        .slice(0, 20)
        .map((r) => r.seq),
    );
  });

  it('answers tooLarge when the result exceeds maxEventCount, and not when it fits', () => {
    const run = (search: string) => {
      const query = parse(search);
      return runEventQuery(db, query, { limit: query.perPage });
    };
    expect(run('maxEventCount=999')).toMatchObject({ tooLarge: true, rows: [], nextPageKey: null });
    expect(run('maxEventCount=1000').tooLarge).toBe(false);
    expect(run('maxEventCount=1000&perPage=1000').tooLarge).toBe(false);
    expect(run('maxEventCount=5&perPage=1000').tooLarge).toBe(true);
    const cutoff = new Date(T0 + 60_000).toISOString();
    const early = stored.filter((r) => r.eventTimeMs < T0 + 60_000).length;
    expect(run(`LT_eventTime=${cutoff}&maxEventCount=${early}&perPage=2`).tooLarge).toBe(false);
    expect(run(`LT_eventTime=${cutoff}&maxEventCount=${early - 1}&perPage=2`).tooLarge).toBe(true);
  });
});
