import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { loadCore } from '../../helpers/core.js';
import { bareEvent, epcisDocument, type EpcisEvent } from '../../helpers/epcis-builders.js';
import {
  instant,
  LOTS,
  MINUTES,
  TRACKED_CONTAINERS,
  TRACKED_ITEMS,
  trackingHistory,
  TRANSFORMATION_IDS,
} from '../../helpers/random-tracking-histories.js';
import { ReplayOracle } from '../../helpers/replay-oracle.js';
import {
  buildServiceApp,
  eventList,
  get,
  nextLink,
  post,
  type ServiceApp,
} from '../../helpers/service-app.js';

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore();
});

const PROCEED = { 'GS1-Capture-Error-Behaviour': 'proceed' };
const path = (id: string) => encodeURIComponent(id);

async function storedEvents(service: ServiceApp): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  let url: string | null = '/events?perPage=1000';
  while (url !== null) {
    const response = await get(service.app, url);
    expect(response.statusCode, response.body).toBe(200);
    events.push(...eventList(response));
    url = nextLink(response);
  }
  return events;
}

/** Captures in random order and document sizes, with duplicates; then declares some events erroneous. */
async function captureHistory(
  service: ServiceApp,
  events: EpcisEvent[],
  order: number[],
  sizes: number[],
  declared: number[],
): Promise<void> {
  const shuffled = order.map((i) => events[i % events.length]!);
  for (let at = 0, k = 0; at < shuffled.length; k++) {
    const size = sizes[k % sizes.length]!;
    const response = await post(
      service.app,
      '/capture',
      epcisDocument(shuffled.slice(at, at + size)),
      PROCEED,
    );
    expect(response.statusCode, response.body).toBe(202);
    at += size;
  }
  const stored = await storedEvents(service);
  for (const i of declared) {
    const original = { ...stored[i % stored.length]! };
    if (original['errorDeclaration'] !== undefined) continue;
    delete original['recordTime'];
    original['errorDeclaration'] = { declarationTime: '2026-01-02T00:00:00Z', reason: 'incorrect_data' };
    const response = await post(service.app, '/events', bareEvent(original));
    expect([201, 409], response.body).toContain(response.statusCode);
  }
}

async function answer(service: ServiceApp, url: string): Promise<unknown> {
  const response = await get(service.app, url);
  if (response.statusCode === 404) return null;
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json();
}

describe('the tracking API', () => {
  let service: ServiceApp | null = null;
  afterAll(async () => {
    await service?.close();
  });

  it('answers state, contents and trace exactly as a plain replay of GET /events in eventTime order', async () => {
    const ids = [...TRACKED_ITEMS, ...TRACKED_CONTAINERS].map((id) => core.canonical(id).value);
    const lots = LOTS.map((id) => core.canonical(id).value);
    await fc.assert(
      fc.asyncProperty(
        trackingHistory,
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.integer({ min: 0, max: MINUTES }),
        fc.integer({ min: 1, max: 4 }),
        async (events, extra, sizes, declared, asOfMinute, depth) => {
          await service?.close();
          service = await buildServiceApp();
          // Every event at least once, some twice: late duplicates in another document.
          const order = [...events.keys(), ...extra.filter((n) => n % 3 === 0)];
          order.sort(
            (a, b) =>
              ((a * 7919 + extra[a % extra.length]!) % 101) - ((b * 7919 + extra[b % extra.length]!) % 101),
          );
          await captureHistory(service, events, order, sizes, declared);
          const oracle = new ReplayOracle(await storedEvents(service));
          const asOf = instant(asOfMinute);
          const asOfMs = Date.parse(asOf);

          for (const id of ids) {
            expect(await answer(service, `/epcs/${path(id)}/state`), `state of ${id}`).toEqual(
              oracle.state(id),
            );
            expect(
              await answer(service, `/epcs/${path(id)}/state?asOf=${asOf}`),
              `state of ${id} at ${asOf}`,
            ).toEqual(oracle.state(id, asOfMs));
            expect(
              await answer(service, `/epcs/${path(id)}/contents?depth=${depth}`),
              `contents of ${id}`,
            ).toEqual(oracle.contents(id, depth, 100_000));
          }
          for (const origin of [...ids, ...lots, ...TRANSFORMATION_IDS]) {
            for (const direction of ['forward', 'backward'] as const) {
              const expected = oracle.trace(origin, direction, depth, 100_000);
              const got = (await answer(
                service,
                `/trace/${path(origin)}?direction=${direction}&depth=${depth}&perPage=100000`,
              )) as Record<string, unknown> | null;
              const label = `${direction} trace from ${origin}`;
              if (expected === null) {
                expect(got, label).toBeNull();
                continue;
              }
              expect(got, label).toEqual({
                origin: expected.origin,
                direction,
                depth,
                total: expected.nodes.length,
                truncated: expected.truncation !== null,
                truncation: expected.truncation,
                summaryByLocation: expected.summaryByLocation,
                nodes: expected.nodes,
              });
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
