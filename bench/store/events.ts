// Events shaped like a typical shipping ObjectEvent as the core hands it to the store: 4 EPCs,
// a bizTransaction, a source and a destination, and a ~700-byte captured body. Its hash ID is a
// SHA-256 as a real one is: a sequential one would keep the event_id index's inserts on one page.
import { createHash } from 'node:crypto';
import type { AcceptedEvent } from '../../host/core/types.js';
import type { EventToStore } from '../../host/store/event-writer.js';

export function benchEvent(n: number, recordTimeMs: number): EventToStore {
  const epcs = [0, 1, 2, 3].map((k) => `https://id.gs1.org/01/00614141111114/21/${n * 4 + k}`);
  const event: AcceptedEvent = {
    index: 0,
    accepted: true,
    start: 0,
    end: 0,
    type: 'ObjectEvent',
    action: 'OBSERVE',
    eventId: null,
    hashId: `ni:///sha-256;${createHash('sha256').update(String(n)).digest('hex')}?ver=CBV2.0`,
    eventTimeMs: recordTimeMs - 1000,
    eventTimeZoneOffset: '+01:00',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
    disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
    readPoint: 'https://id.gs1.org/414/4012345000115',
    bizLocation: 'https://id.gs1.org/414/4012345000115',
    transformationId: null,
    persistentDisposition: { set: [], unset: [] },
    epcs: epcs.map((epc) => [epc, 'epcList']),
    bizTransactions: [['https://ref.gs1.org/cbv/BTT-po', `https://id.gs1.org/253/4012345111118${n}`]],
    sources: [['https://ref.gs1.org/cbv/SDT-owning_party', 'https://id.gs1.org/417/4012345000009']],
    destinations: [['https://ref.gs1.org/cbv/SDT-owning_party', 'https://id.gs1.org/417/0614141000005']],
    errorDeclaration: null,
    hasSensorData: false,
  };
  const body = JSON.stringify({
    type: 'ObjectEvent',
    eventTime: new Date(event.eventTimeMs).toISOString(),
    eventTimeZoneOffset: '+01:00',
    epcList: epcs,
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: event.readPoint },
    bizLocation: { id: event.bizLocation },
    bizTransactionList: [{ type: 'po', bizTransaction: event.bizTransactions[0]![1] }],
    sourceList: [{ type: 'owning_party', source: event.sources[0]![1] }],
    destinationList: [{ type: 'owning_party', destination: event.destinations[0]![1] }],
  });
  return {
    event,
    eventId: event.hashId,
    body,
    contextJson: null,
    recordTimeMs,
    captureId: null,
    originSite: 'bench-site',
    enqueueForSync: true,
  };
}
