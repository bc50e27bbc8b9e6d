// Issue 9, items 2 and 10: many distinct GET /events queries must not pin memory in the result
// cache, and no single query may cost unbounded bytes or time on the event loop. The service runs
// as a real process with the default settings, sized like a small pod (V8 heap capped at 256 MiB,
// RSS bound 384 MiB); each test reproduces one report while GET /health is probed and RSS sampled:
// - ~4 KB events, 300 distinct 200-event answers (~0.9 MB each, one query at a time): an entry-bounded cache pinned
//   every one of them (the report: 1,000 answers of 0.5 KB events pinned 750 MB) and the process
//   died of heap exhaustion (SIGABRT);
// - the issue's own reproduction: 200 stored events of ~140 KB and
//   `GET /events?perPage=1000&GE_eventTime=<new value each time>`. Each answer was a 5.6-28 MB page
//   built and serialised in one piece (/health waited 100-300 ms behind it) and the report's process
//   died of heap exhaustion after 140 such queries. Pages now end at QUERY_PAGE_MAX_BYTES (2 MiB)
//   and are rendered in slices of the event loop.
import { afterEach, describe, expect, it } from 'vitest';
import { underAttack } from '../../helpers/attack-probes.js';
import { ServiceGroup, tempDataDir, type TempDir } from '../../helpers/service-process.js';
import { eventTimeOf, seedLargeEvents } from './support/large-events.js';

const MiB = 1024 * 1024;
// A 384 MiB pod: the heap gets 256 MiB, the rest is code, SQLite's page cache and tracker.wasm.
const POD_ENV = { NODE_OPTIONS: '--max-old-space-size=256' };
const RSS_BOUND_BYTES = 384 * MiB;

const group = new ServiceGroup();
let data: TempDir | null = null;
afterEach(async () => {
  await group.killAll();
  data?.remove();
  data = null;
});

interface Answer {
  status: number;
  bytes: number;
  /** The answer had a Link: rel="next" (more events follow on another page). */
  next: boolean;
}

/** Runs `count` distinct GET /events queries, `parallel` at a time; what each answered. */
async function distinctQueries(
  baseUrl: string,
  count: number,
  parallel: number,
  perPage: number,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      const since = encodeURIComponent(eventTimeOf(i));
      const response = await fetch(`${baseUrl}/events?perPage=${perPage}&GE_eventTime=${since}`).catch(
        () => null,
      );
      const body = await response?.arrayBuffer().catch(() => undefined);
      answers.push({
        status: response?.status ?? 0,
        bytes: body?.byteLength ?? 0,
        next: /rel="next"/.test(response?.headers.get('link') ?? ''),
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, client));
  return answers;
}

async function cacheMetrics(baseUrl: string): Promise<{ bytes: number; tooLarge: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    bytes: value('edgetrace_query_cache_bytes'),
    tooLarge: value('edgetrace_query_cache_too_large_total'),
  };
}

function report(outcome: Awaited<ReturnType<typeof underAttack<Answer[]>>>): void {
  console.log(
    `query cache: ${outcome.result.length} queries, largest answer ${(Math.max(...outcome.result.map((a) => a.bytes)) / MiB).toFixed(2)} MiB, /health max ${Math.round(outcome.health.maxLatencyMs)} ms, ` +
      `peak RSS ${Math.round(outcome.peakRssBytes / MiB)} MiB; slow probes ${JSON.stringify(outcome.health.latenciesMs.filter((l) => l > 100).map(Math.round))} of ${outcome.health.answered}`,
  );
}

describe('GET /events result cache under many distinct queries', () => {
  it('keeps the cache within CACHE_MAX_BYTES: the process survives 300 distinct 0.9 MB answers, /health stays fast and RSS bounded', async () => {
    data = tempDataDir('edgetrace-cache-attack-');
    const service = await group.start({ dataDir: data.dir, env: POD_ENV });
    await seedLargeEvents(service.baseUrl, 700, 4_000);

    const outcome = await underAttack({ baseUrl: service.baseUrl, pid: service.pid }, () =>
      distinctQueries(service.baseUrl, 300, 1, 200),
    );

    report(outcome);
    expect(service.hasExited).toBeNull();
    expect(outcome.result.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(outcome.health.failed).toBe(0);
    expect(outcome.health.maxLatencyMs).toBeLessThan(100);
    expect(outcome.peakRssBytes).toBeLessThan(RSS_BOUND_BYTES);
    const cache = await cacheMetrics(service.baseUrl);
    expect(cache.bytes).toBeGreaterThan(16 * MiB);
    expect(cache.bytes).toBeLessThanOrEqual(64 * MiB);
  }, 60_000);

  it('answers perPage=1000 over 200 events of 140 KB in pages of at most QUERY_PAGE_MAX_BYTES: /health stays under 100 ms and RSS bounded', async () => {
    data = tempDataDir('edgetrace-cache-attack-');
    const service = await group.start({ dataDir: data.dir, env: POD_ENV });
    await seedLargeEvents(service.baseUrl, 200, 140_000);

    // GE_eventTime moves by one event, so every query is distinct and matches 141-200 events (20-28
    // MB of them): two clients at a time, each query answered by its first page.
    const outcome = await underAttack({ baseUrl: service.baseUrl, pid: service.pid }, () =>
      distinctQueries(service.baseUrl, 60, 2, 1000),
    );

    report(outcome);
    expect(service.hasExited).toBeNull();
    expect(outcome.result.filter((answer) => answer.status !== 200)).toEqual([]);
    // Every answer ended early at the 2 MiB budget (recordTime and eventID add a little per event),
    // with a link to the rest.
    expect(outcome.result.every((answer) => answer.next)).toBe(true);
    expect(Math.max(...outcome.result.map((answer) => answer.bytes))).toBeLessThan(2.2 * MiB);
    expect(outcome.health.failed).toBe(0);
    expect(outcome.health.maxLatencyMs).toBeLessThan(100);
    expect(outcome.peakRssBytes).toBeLessThan(RSS_BOUND_BYTES);
    // A page fits CACHE_MAX_ENTRY_BYTES, so answers are kept, within CACHE_MAX_BYTES.
    const cache = await cacheMetrics(service.baseUrl);
    expect(cache.tooLarge).toBe(0);
    expect(cache.bytes).toBeGreaterThan(0);
    expect(cache.bytes).toBeLessThanOrEqual(64 * MiB);
  }, 60_000);
});
