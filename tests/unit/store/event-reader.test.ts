import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RebuildEvent } from '../../../host/store/event-reader.js';
import {
  acceptedEvent,
  declarationOf,
  openStore,
  type TestStore,
  toStore,
} from './helpers/store-fixtures.js';

describe('EventReader', () => {
  let store: TestStore;
  beforeEach(() => {
    store = openStore();
  });
  afterEach(() => store.db.close());

  const capture = (...ids: string[]) =>
    store.committer.submit({ events: ids.map((id) => toStore(id)), mode: 'each' });

  it('reads events by seq in the order asked for, leaving out unknown seqs', async () => {
    await capture('a', 'b', 'c');
    expect(store.reader.bySeq([3, 99, 1]).map((e) => [e.seq, e.eventId])).toEqual([
      [3, 'c'],
      [1, 'a'],
    ]);
    expect(store.reader.bySeq([])).toEqual([]);
    expect(store.reader.bySeq([2])[0]).toEqual({
      seq: 2,
      eventId: 'b',
      hashId: 'ni:///sha-256;b?ver=CBV2.0',
      type: 'ObjectEvent',
      recordTimeMs: 1_700_000_000_000,
      isDeclaration: false,
      declarationTimeMs: null,
      captureId: null,
      originSite: 'site-a',
      contextJson: null,
      body: '{"type":"ObjectEvent","eventID":"b"}',
    });
  });

  it('reads an event with its declarations, oldest declaration first', async () => {
    await store.committer.submit({
      events: [declarationOf('a', 20), toStore('a'), declarationOf('a', 10)],
      mode: 'each',
    });
    const found = store.reader.byEventId('a');
    expect(found?.event?.seq).toBe(2);
    expect(found?.declarations.map((d) => d.declarationTimeMs)).toEqual([10, 20]);
    expect(store.reader.byEventId('missing')).toBeNull();
  });

  it('returns the declarations of an event whose original has not arrived yet', async () => {
    await store.committer.submit({ events: [declarationOf('a', 20)], mode: 'each' });
    expect(store.reader.byEventId('a')).toMatchObject({ event: null, declarations: [{ seq: 1 }] });
  });

  it('counts events and reports the highest seq, 0 when empty', async () => {
    expect(store.reader.countEvents()).toBe(0);
    expect(store.reader.maxSeq()).toBe(0);
    await capture('a', 'b');
    await store.committer.submit({ events: [declarationOf('a', 1)], mode: 'each' });
    expect(store.reader.countEvents()).toBe(3);
    expect(store.reader.maxSeq()).toBe(3);
  });

  it('streams every event in seq order, in batches, with its identifiers and roles', async () => {
    const noEpcs = toStore('none', {
      event: acceptedEvent('none', { epcs: [], action: null, type: 'AssociationEvent' }),
    });
    await store.committer.submit({
      events: [toStore('a'), noEpcs, toStore('b'), declarationOf('a', 5), toStore('c')],
      mode: 'each',
    });
    const batches: RebuildEvent[][] = [];
    const total = store.reader.forEachStoredEvent(2, (batch) => batches.push(batch));
    expect(total).toBe(5);
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1, 2], [3, 4], [5]]);
    const [first, second] = batches[0]!;
    expect(first).toEqual({
      seq: 1,
      eventId: 'a',
      hashId: 'ni:///sha-256;a?ver=CBV2.0',
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTimeMs: Date.UTC(2024, 0, 1),
      bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
      disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
      readPoint: 'https://id.gs1.org/414/4012345000115',
      bizLocation: null,
      isDeclaration: false,
      epcs: [
        ['urn:epc:id:sgtin:0614141.107346.a', 'epcList'],
        ['urn:epc:class:lgtin:0614141.107346.L1', 'quantityList', 10, 'KGM'],
      ],
    });
    expect(second).toMatchObject({ eventId: 'none', action: null, epcs: [] });
    expect(batches[1]![1]).toMatchObject({ eventId: 'a', isDeclaration: true });
  });

  it('streams nothing from an empty database', () => {
    const calls: unknown[] = [];
    expect(store.reader.forEachStoredEvent(100, (b) => calls.push(b))).toBe(0);
    expect(calls).toEqual([]);
  });
});
