// Pages bounded in bytes (QUERY_PAGE_MAX_BYTES): runEventQuery ends a page before its events
// outgrow the budget, with a next-page position like a full page, and never answers an empty page
// while events remain. Events of random sizes, walked with signed tokens the way a client follows
// Link headers.
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventQuery, PageKey } from '../../../host/query/event-query.js';
import { issuePageToken, openPageToken } from '../../../host/query/page-token.js';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { rowBytes } from '../../../host/query/read-event-rows.js';
import { runEventQuery } from '../../../host/query/run-query.js';
import { fakeCanon } from './fake-canon.js';
import { insertEvent, openTestDb } from './query-test-db.js';
import { seeded } from '../../helpers/seeded-random.js';

const T0 = Date.UTC(2026, 0, 1);
const KiB = 1024;
const secret = randomBytes(32);
let db: Database;

interface Stored {
  seq: number;
  eventTimeMs: number;
  rank: number;
  bytes: number;
}
let stored: Stored[];

function insert(noteBytes: number, eventTimeMs: number, rank = 0): Stored {
  const body = { type: 'ObjectEvent', 'ex:rank': rank, 'ex:note': 'x'.repeat(noteBytes) };
  const seq = insertEvent(db, { eventTimeMs, body });
  const row = db.prepare('SELECT body, context_json AS contextJson FROM events WHERE seq = ?').get(seq) as {
    body: string;
    contextJson: string | null;
  };
  const entry = { seq, eventTimeMs, rank, bytes: rowBytes(row) };
  stored.push(entry);
  return entry;
}

function parse(search: string): EventQuery {
  const parsed = parseEventQuery(new URLSearchParams(search), fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return parsed.query;
}

/** Follows next-page positions through signed tokens; the seqs of each page. */
function walk(search: string, maxBytes: number): number[][] {
  const pages: number[][] = [];
  let token: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const query = parse(token === null ? search : `${search}&nextPageToken=${encodeURIComponent(token)}`);
    let afterKey: PageKey | undefined;
    if (query.nextPageToken !== null) {
      const opened = openPageToken(query.nextPageToken, query, { secret, nowMs: T0 });
      if (!opened.ok) throw new Error(opened.problem.detail);
      afterKey = opened.key;
    }
    const page = runEventQuery(db, query, { afterKey, limit: query.perPage, maxBytes });
    pages.push(page.rows.map((row) => row.seq));
    if (page.nextPageKey === null) return pages;
    token = issuePageToken(page.nextPageKey, query, { secret, nowMs: T0, ttlMs: 60_000 }).token;
  }
  throw new Error('pagination did not end');
}

const bytesOf = (seqs: number[]) => {
  const bySeq = new Map(stored.map((row) => [row.seq, row.bytes]));
  return seqs.reduce((sum, seq) => sum + bySeq.get(seq)!, 0);
};

beforeEach(() => {
  db = openTestDb();
  stored = [];
});

describe('a page of GET /events bounded by QUERY_PAGE_MAX_BYTES', () => {
  it('ends at the byte budget with a next-page position, although perPage would allow more', () => {
    for (let i = 0; i < 10; i++) insert(3 * KiB, T0 + i * 60_000);
    const budget = 10 * KiB;

    const query = parse('perPage=1000');
    const page = runEventQuery(db, query, { limit: query.perPage, maxBytes: budget });

    // Three events of ~3.3 KiB fit 10 KiB; a fourth would not.
    expect(page.rows.map((row) => row.seq)).toEqual(stored.slice(0, 3).map((row) => row.seq));
    expect(bytesOf(page.rows.map((row) => row.seq))).toBeLessThanOrEqual(budget);
    expect(bytesOf(stored.slice(0, 4).map((row) => row.seq))).toBeGreaterThan(budget);
    expect(page.nextPageKey).toMatchObject({ seq: stored[2]!.seq, returned: 3 });
  });

  const orders: [string, string, (a: Stored, b: Stored) => number][] = [
    ['arrival', '', (a, b) => a.seq - b.seq],
    [
      'eventTime ASC from a time window (a sorted start)',
      `&GE_eventTime=${new Date(T0).toISOString()}`,
      (a, b) => a.eventTimeMs - b.eventTimeMs || a.seq - b.seq,
    ],
    [
      'an extension field DESC',
      '&orderBy=ex:rank&orderDirection=DESC',
      (a, b) => b.rank - a.rank || b.seq - a.seq,
    ],
  ];

  it.each(orders)(
    'visits every event exactly once, in order, across pages cut by bytes: %s',
    (_n, order, cmp) => {
      const random = seeded(7);
      for (let i = 0; i < 200; i++) {
        // 0.1 to 12 KiB, a few ties in time and rank so seq has to break them.
        insert(
          Math.floor(100 + random() * 12 * KiB),
          T0 + Math.floor(random() * 40) * 60_000,
          Math.floor(random() * 20),
        );
      }
      const budget = 24 * KiB;

      const pages = walk(`perPage=1000${order}`, budget);

      expect(pages.flat()).toEqual([...stored].sort(cmp).map((row) => row.seq));
      expect(pages.length).toBeGreaterThan(200 / 4);
      for (const page of pages) {
        expect(page.length).toBeGreaterThan(0);
        expect(bytesOf(page)).toBeLessThanOrEqual(budget);
      }
    },
  );

  it('answers an event larger than the budget alone on its page, and goes on after it', () => {
    insert(1 * KiB, T0);
    insert(1 * KiB, T0 + 60_000);
    const large = insert(64 * KiB, T0 + 120_000);
    insert(1 * KiB, T0 + 180_000);
    insert(1 * KiB, T0 + 240_000);

    const pages = walk('perPage=1000', 8 * KiB);

    expect(pages).toEqual([[stored[0]!.seq, stored[1]!.seq], [large.seq], [stored[3]!.seq, stored[4]!.seq]]);
  });

  it('counts pages cut by bytes toward eventCountLimit', () => {
    for (let i = 0; i < 10; i++) insert(3 * KiB, T0 + i * 60_000);

    const pages = walk('perPage=1000&orderBy=eventTime&orderDirection=ASC&eventCountLimit=7', 10 * KiB);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(stored.slice(0, 7).map((row) => row.seq));
  });

  it('still refuses a result over maxEventCount when its first page is cut by bytes', () => {
    for (let i = 0; i < 10; i++) insert(3 * KiB, T0 + i * 60_000);
    const run = (search: string) => {
      const query = parse(search);
      return runEventQuery(db, query, { limit: query.perPage, maxBytes: 10 * KiB });
    };

    expect(run('perPage=1000&maxEventCount=9')).toMatchObject({ tooLarge: true, rows: [] });
    const fits = run('perPage=1000&maxEventCount=10');
    expect(fits.tooLarge).toBe(false);
    expect(fits.rows).toHaveLength(3);
    expect(fits.nextPageKey).not.toBeNull();
  });
});
