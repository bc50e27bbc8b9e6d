import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventToStore, StoreOutcome } from '../../../host/store/event-writer.js';
import {
  acceptedEvent,
  declarationOf,
  openStore,
  rowCount,
  type TestStore,
  toStore,
} from './helpers/store-fixtures.js';

describe('EventWriter', () => {
  let store: TestStore;
  const write = (item: EventToStore): StoreOutcome => store.db.transaction(() => store.writer.write(item))();

  beforeEach(() => {
    store = openStore();
  });
  afterEach(() => store.db.close());

  it('stores an event with its identifier rows, link rows and outbox row', () => {
    const event = acceptedEvent('e1', {
      epcs: [
        ['urn:epc:id:sscc:0614141.1234567890', 'parentID'],
        ['urn:epc:id:sgtin:0614141.107346.1', 'childEPCs'],
        ['urn:epc:class:lgtin:0614141.107346.L1', 'childQuantityList', 5, null],
      ],
      sources: [['https://ref.gs1.org/cbv/SDT-owning_party', 'https://id.gs1.org/417/4012345000009']],
      destinations: [[null, 'https://id.gs1.org/417/0614141000005']],
      persistentDisposition: { set: ['https://ref.gs1.org/cbv/Disp-completeness_verified'], unset: ['x:y'] },
    });
    const outcome = write(toStore('e1', { event }));
    expect(outcome).toEqual({ kind: 'stored', seq: 1 });
    expect(
      store.db.prepare('SELECT epc, role, quantity, uom FROM event_epcs WHERE seq = 1 ORDER BY rowid').all(),
    ).toEqual([
      { epc: 'urn:epc:id:sscc:0614141.1234567890', role: 'parentID', quantity: null, uom: null },
      { epc: 'urn:epc:id:sgtin:0614141.107346.1', role: 'childEPCs', quantity: null, uom: null },
      { epc: 'urn:epc:class:lgtin:0614141.107346.L1', role: 'childQuantityList', quantity: 5, uom: null },
    ]);
    expect(
      store.db.prepare('SELECT kind, type, value FROM event_links WHERE seq = 1 ORDER BY rowid').all(),
    ).toEqual([
      {
        kind: 'bizTransaction',
        type: 'https://ref.gs1.org/cbv/BTT-po',
        value: 'urn:epcglobal:cbv:bt:0614141000005:PO1',
      },
      {
        kind: 'source',
        type: 'https://ref.gs1.org/cbv/SDT-owning_party',
        value: 'https://id.gs1.org/417/4012345000009',
      },
      { kind: 'destination', type: null, value: 'https://id.gs1.org/417/0614141000005' },
      {
        kind: 'persistentDispositionSet',
        type: null,
        value: 'https://ref.gs1.org/cbv/Disp-completeness_verified',
      },
      { kind: 'persistentDispositionUnset', type: null, value: 'x:y' },
    ]);
    expect(store.db.prepare('SELECT seq, enqueued_ms, sent_ms FROM outbox').all()).toEqual([
      { seq: 1, enqueued_ms: 1_700_000_000_000, sent_ms: null },
    ]);
  });

  it('writes no outbox row for an event that is not enqueued for sync', () => {
    write(toStore('synced', { enqueueForSync: false, captureId: null, originSite: 'site-b' }));
    expect(rowCount(store.db, 'events')).toBe(1);
    expect(rowCount(store.db, 'outbox')).toBe(0);
  });

  it('reports a re-captured event as a duplicate and writes nothing', () => {
    write(toStore('e1'));
    expect(write(toStore('e1', { body: '{"other":"text"}' }))).toEqual({ kind: 'duplicate', existingSeq: 1 });
    expect(rowCount(store.db, 'events')).toBe(1);
    expect(rowCount(store.db, 'event_epcs')).toBe(2);
    expect(rowCount(store.db, 'event_links')).toBe(1);
    expect(rowCount(store.db, 'outbox')).toBe(1);
  });

  it('stores an error declaration that repeats the eventID and links it to the original', () => {
    write(toStore('e1'));
    expect(write(declarationOf('e1', 1_700_000_100_000, ['fix-1', 'fix-2']))).toEqual({
      kind: 'declaration-linked',
      seq: 2,
      declaredSeq: 1,
    });
    expect(
      store.db
        .prepare('SELECT is_declaration, declaration_time_ms, error_reason FROM events WHERE seq = 2')
        .get(),
    ).toEqual({ is_declaration: 1, declaration_time_ms: 1_700_000_100_000, error_reason: 'incorrect_data' });
    expect(
      store.db
        .prepare("SELECT value FROM event_links WHERE seq = 2 AND kind = 'correctiveEventID'")
        .pluck()
        .all(),
    ).toEqual(['fix-1', 'fix-2']);
  });

  it('stores a declaration that arrives before its original, and the original afterwards', () => {
    expect(write(declarationOf('e1', 5))).toEqual({ kind: 'declaration-linked', seq: 1, declaredSeq: null });
    expect(write(toStore('e1'))).toEqual({ kind: 'stored', seq: 2 });
  });

  it('treats the same declaration (eventID and declaration time) as a duplicate, another time as new', () => {
    write(toStore('e1'));
    write(declarationOf('e1', 5));
    expect(write(declarationOf('e1', 5))).toEqual({ kind: 'duplicate', existingSeq: 2 });
    expect(write(declarationOf('e1', 6))).toEqual({ kind: 'declaration-linked', seq: 3, declaredSeq: 1 });
  });

  it('does not treat a declaration as the original when the original is captured later twice', () => {
    write(declarationOf('e1', 5));
    write(toStore('e1'));
    expect(write(toStore('e1'))).toEqual({ kind: 'duplicate', existingSeq: 2 });
  });

  it('still fails on a constraint that is not uniqueness instead of calling it a duplicate', () => {
    store.db.exec(`CREATE TRIGGER no_rome BEFORE INSERT ON events WHEN NEW.origin_site = 'rome'
      BEGIN SELECT RAISE(ABORT, 'rome is closed'); END`);
    expect(() => write(toStore('e1', { originSite: 'rome' }))).toThrow(/rome is closed/);
    expect(rowCount(store.db, 'events')).toBe(0);
  });
});
