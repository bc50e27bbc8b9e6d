import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptedEvent,
  declarationOf,
  openStore,
  type TestStore,
  toStore,
} from './helpers/store-fixtures.js';

describe('Outbox', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = openStore();
    await store.committer.submit({
      events: [
        toStore('a', { recordTimeMs: 100 }),
        toStore('synced', { recordTimeMs: 150, enqueueForSync: false }),
        toStore('b', { recordTimeMs: 200 }),
        { ...declarationOf('a', 7), recordTimeMs: 300 },
      ],
      mode: 'each',
    });
  });
  afterEach(() => store.db.close());

  it('lists unsent entries in seq order with what the relay publishes', () => {
    const entries = store.outbox.unsent(10);
    expect(entries.map((e) => e.seq)).toEqual([1, 3, 4]);
    expect(entries[2]).toEqual({
      seq: 4,
      enqueuedMs: 300,
      eventId: 'a',
      hashId: 'ni:///sha-256;a?ver=CBV2.0',
      eventType: 'ObjectEvent',
      isDeclaration: true,
      declarationTimeMs: 7,
      recordTimeMs: 300,
      originSite: 'site-a',
      bizLocation: null,
      destinations: [],
      contextJson: null,
      body: '{"type":"ObjectEvent","eventID":"a"}',
    });
    expect(store.outbox.unsent(2).map((e) => e.seq)).toEqual([1, 3]);
  });

  it('reports depth and the oldest unsent time, and drains as entries are marked sent', () => {
    expect(store.outbox.depth()).toBe(3);
    expect(store.outbox.oldestUnsentMs()).toBe(100);
    expect(store.outbox.markSent([1], 1000)).toBe(1);
    expect(store.outbox.depth()).toBe(2);
    expect(store.outbox.oldestUnsentMs()).toBe(200);
    expect(store.outbox.unsent(10).map((e) => e.seq)).toEqual([3, 4]);
    expect(store.outbox.markSent([3, 4], 2000)).toBe(2);
    expect(store.outbox.depth()).toBe(0);
    expect(store.outbox.oldestUnsentMs()).toBeNull();
    expect(store.outbox.unsent(10)).toEqual([]);
  });

  it('gives each entry of a batch its own destinations, in the order the event lists them', async () => {
    const withDestinations = (eventId: string, destinations: [string, string][]) =>
      toStore(eventId, { event: { ...acceptedEvent(eventId), destinations } });
    const location = 'urn:epcglobal:cbv:sdt:location';
    const party = 'urn:epcglobal:cbv:sdt:owning_party';
    await store.committer.submit({
      events: [
        withDestinations('c', [
          [party, 'https://id.gs1.org/417/4012345000009'],
          [location, 'https://id.gs1.org/414/4012345000115'],
        ]),
        toStore('d'),
        withDestinations('e', [[location, 'https://id.gs1.org/414/0614141000005']]),
      ],
      mode: 'each',
    });
    const entries = store.outbox.unsent(10).slice(3);
    expect(entries.map((e) => [e.eventId, e.destinations])).toEqual([
      [
        'c',
        [
          [party, 'https://id.gs1.org/417/4012345000009'],
          [location, 'https://id.gs1.org/414/4012345000115'],
        ],
      ],
      ['d', []],
      ['e', [[location, 'https://id.gs1.org/414/0614141000005']]],
    ]);
  });

  it('keeps the first sent time when a seq is marked twice, and ignores unknown seqs', () => {
    store.outbox.markSent([1], 1000);
    expect(store.outbox.markSent([1, 2, 99], 5000)).toBe(0);
    expect(store.db.prepare('SELECT sent_ms FROM outbox WHERE seq = 1').pluck().get()).toBe(1000);
    expect(store.outbox.markSent([], 5000)).toBe(0);
  });
});
