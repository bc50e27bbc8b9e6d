// The query result cache holds a bounded number of bytes, refuses answers too large to keep, and
// gives memory back when answers expire, even if nobody asks for them again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { approximateBytes } from '../../../host/query-cache/approximate-bytes.js';
import { QueryCache } from '../../../host/query-cache/query-cache.js';

const KiB = 1024;

/** A query answer shaped like GET /events' page: rows carrying their event JSON. */
function page(events: number, bodyBytes: number, tag: string) {
  return {
    rows: Array.from({ length: events }, (_, i) => ({
      seq: i + 1,
      eventId: `urn:uuid:${tag}-${i}`,
      body: `{"note":"${tag}${'x'.repeat(bodyBytes)}"}`,
      contextJson: null,
    })),
    nextPageKey: null,
    tooLarge: false,
  };
}

/** Asks the cache the way the event-query responder does: get, else compute and set. */
function ask<T>(cache: QueryCache, request: string, version: number, compute: () => T) {
  const kept = cache.get(request, version) as T | undefined;
  if (kept !== undefined) return { value: kept, hit: true };
  const value = compute();
  cache.set(request, version, value);
  return { value, hit: false };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('QueryCache', () => {
  it('keeps the answers within its byte budget, dropping the least recently used first', () => {
    const cache = new QueryCache({
      enabled: true,
      ttlMs: 60_000,
      maxBytes: 200 * KiB,
      maxEntryBytes: 100 * KiB,
    });
    // 1,000 distinct queries of ~40 KiB each: 40 MB if only entries were counted.
    for (let i = 0; i < 1000; i++)
      ask(cache, `/events?GE_eventTime=${i}`, 7, () => page(4, 10 * KiB, `q${i}`));

    expect(cache.bytes).toBeLessThanOrEqual(200 * KiB);
    expect(cache.size).toBeGreaterThanOrEqual(4);
    const recent = ask(cache, '/events?GE_eventTime=999', 7, () => page(1, 1, 'recomputed'));
    expect(recent.hit).toBe(true);
    const oldest = ask(cache, '/events?GE_eventTime=0', 7, () => page(1, 1, 'recomputed'));
    expect(oldest.hit).toBe(false);
  });

  it('answers but does not keep an answer larger than the per-entry cap, and says so', () => {
    const tooLarge: number[] = [];
    const cache = new QueryCache({
      enabled: true,
      ttlMs: 60_000,
      maxBytes: 1024 * KiB,
      maxEntryBytes: 64 * KiB,
      onTooLarge: (bytes) => tooLarge.push(bytes),
    });
    const big = page(20, 10 * KiB, 'big');

    const first = ask(cache, '/events?perPage=1000', 1, () => big);
    const second = ask(cache, '/events?perPage=1000', 1, () => page(20, 10 * KiB, 'again'));

    expect(first).toEqual({ value: big, hit: false });
    expect(second.hit).toBe(false);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(tooLarge).toHaveLength(2);
    expect(tooLarge[0]).toBeGreaterThan(200 * KiB);
  });

  it('frees expired answers on its own, without another request for them', () => {
    vi.useFakeTimers();
    let now = 1_000_000;
    const reported: number[] = [];
    const cache = new QueryCache({
      enabled: true,
      ttlMs: 5_000,
      maxBytes: 1024 * KiB,
      now: () => now,
      onBytes: (bytes) => reported.push(bytes),
    });
    for (let i = 0; i < 10; i++) ask(cache, `/events?i=${i}`, 1, () => page(2, 4 * KiB, `e${i}`));
    expect(cache.size).toBe(10);

    now += 5_001;
    vi.advanceTimersByTime(5_001);

    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(reported.at(-1)).toBe(0);
  });
});

describe('approximateBytes', () => {
  it('counts a page of stored events at about the length of their JSON, plus a little per row', () => {
    const answer = page(100, 10 * KiB, 'p');
    const bodies = answer.rows.reduce((sum, row) => sum + row.body.length, 0);

    const estimate = approximateBytes(answer);

    expect(estimate).toBeGreaterThan(bodies);
    expect(estimate).toBeLessThan(bodies * 1.05);
  });

  it('counts a shared sub-object once and ends on cycles', () => {
    const shared = { text: 'y'.repeat(10_000) };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic['self'] = cyclic;

    expect(approximateBytes(cyclic)).toBeLessThan(11_000);
  });
});
