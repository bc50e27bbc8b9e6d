// GET /events answers from a cache bounded in bytes (CACHE_MAX_BYTES), and answers larger than
// CACHE_MAX_ENTRY_BYTES are served but never kept: many distinct queries cannot pin memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDocument, objectEvent, paddedEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, post, type ServiceApp } from '../../helpers/service-app.js';

const KiB = 1024;
const EVENTS = 40;
const T0 = Date.UTC(2026, 4, 1);

let service: ServiceApp;
beforeAll(async () => {
  service = await buildServiceApp({ config: { cacheMaxBytes: 256 * KiB, cacheMaxEntryBytes: 64 * KiB } });
  const events = Array.from({ length: EVENTS }, (_, i) =>
    paddedEvent(objectEvent(new Date(T0 + i * 60_000).toISOString(), 'OBSERVE', [sgtin(900 + i)]), 5 * KiB),
  );
  expect((await post(service.app, '/capture', exampleDocument(events))).statusCode).toBe(202);
});
afterAll(async () => {
  await service.close();
});

async function metric(name: string): Promise<number> {
  const values = await service.metrics.registry.getSingleMetricAsString(name);
  const line = values.split('\n').find((l) => l.startsWith(name));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

const since = (minute: number, perPage = 1000) =>
  `/events?perPage=${perPage}&GE_eventTime=${encodeURIComponent(new Date(T0 + minute * 60_000).toISOString())}`;

describe('GET /events result cache', () => {
  it('keeps the cached answers of many distinct queries within CACHE_MAX_BYTES', async () => {
    // 30 answers of 1 to 10 events of ~5 KiB (~800 KiB together): each fits the per-entry cap,
    // all of them do not fit the budget.
    for (const perPage of [1000, 999, 998]) {
      for (let minute = EVENTS - 10; minute < EVENTS; minute++) {
        const response = await service.app.inject({ method: 'GET', url: since(minute, perPage) });
        expect(response.statusCode).toBe(200);
      }
    }

    const bytes = await metric('edgetrace_query_cache_bytes');
    expect(bytes).toBeGreaterThan(128 * KiB);
    expect(bytes).toBeLessThanOrEqual(256 * KiB);
  });

  it('answers a query larger than CACHE_MAX_ENTRY_BYTES in full but does not cache it', async () => {
    const before = await metric('edgetrace_query_cache_too_large_total');

    const first = await service.app.inject({ method: 'GET', url: since(0) });
    const second = await service.app.inject({ method: 'GET', url: since(0) });

    expect(first.statusCode).toBe(200);
    const list = (
      JSON.parse(first.body) as { epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } } }
    ).epcisBody.queryResults.resultsBody.eventList;
    expect(list).toHaveLength(EVENTS);
    expect(second.body.length).toBe(first.body.length);
    expect(await metric('edgetrace_query_cache_too_large_total')).toBe(before + 2);
  });
});
