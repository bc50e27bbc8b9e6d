// Captures to send to a running service, each with unique EPCs so that its effect on the state index
// is its own: a 50-event document (commission 48 items, pack them into a case, ship the case), a
// 1-event document, or one bare event for POST /events. Every planned capture knows the eventIDs the
// store must hold for it: the client's own eventID, or the CBV 2.0 hash ID that a TrackerCore in the
// test computes from the exact bytes sent.
import { randomUUID } from 'node:crypto';
import type { TrackerCore } from '../../../../host/core/gateway.js';
import {
  aggregationEvent,
  bareEvent,
  type EpcisEvent,
  epcisDocument,
  objectEvent,
  sgln,
  sgtin,
  sscc,
} from '../../../helpers/epcis-builders.js';

export type CaptureShape = 'document-50' | 'document-1' | 'event';

export interface PlannedCapture {
  key: string;
  shape: CaptureShape;
  /** POST /capture or POST /events. */
  path: '/capture' | '/events';
  body: string;
  /** The eventIDs the store holds once this capture is committed. */
  eventIds: string[];
  /** Instance EPCs (URNs) the capture names; their state depends on this capture only. */
  epcs: string[];
  /** The case the 50-event document packs its items into. */
  container: string | null;
}

const time = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const DOCK = sgln('00001');
const PLANT = sgln('00002');

function eventsFor(shape: CaptureShape, serial: string, caseNumber: number): EpcisEvent[] {
  if (shape !== 'document-50') {
    return [
      objectEvent(time(0), 'ADD', [sgtin(`${serial}s`)], { bizStep: 'commissioning', readPoint: PLANT }),
    ];
  }
  const items = Array.from({ length: 48 }, (_, i) => sgtin(`${serial}i${i}`));
  const container = sscc(caseNumber);
  return [
    ...items.map((item, i) =>
      objectEvent(time(i % 5), 'ADD', [item], { bizStep: 'commissioning', readPoint: PLANT }),
    ),
    aggregationEvent(time(10), 'ADD', container, items, { bizStep: 'packing', readPoint: DOCK }),
    objectEvent(time(20), 'OBSERVE', [container], {
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: DOCK,
      bizLocation: DOCK,
    }),
  ];
}

/** Hash IDs of the accepted events, in order; throws if the core would refuse any of them. */
function hashIds(core: TrackerCore, body: string): string[] {
  const result = core.prepare(new TextEncoder().encode(body));
  core.discard(result.batchId);
  const accepted = result.events.flatMap((event) => (event.accepted ? [event.hashId] : []));
  if (result.issues.length > 0 || accepted.length !== result.events.length) {
    throw new Error(`the test built an invalid capture: ${JSON.stringify(result.issues)}`);
  }
  return accepted;
}

function instanceEpcs(events: readonly EpcisEvent[]): string[] {
  const epcs = new Set<string>();
  for (const event of events) {
    for (const field of ['epcList', 'childEPCs']) {
      const list = event[field];
      if (Array.isArray(list)) for (const epc of list) epcs.add(String(epc));
    }
    if (typeof event['parentID'] === 'string') epcs.add(event['parentID']);
  }
  return [...epcs];
}

/**
 * Plans capture number `sequence` of a stream. `prefix` keeps EPCs unique across streams written to
 * the same store (at most 99 streams, 9999 captures each). Documents with an even sequence carry
 * client eventIDs; the others, and bare events, get their hash IDs.
 */
export function planCapture(
  core: TrackerCore,
  shape: CaptureShape,
  prefix: number,
  sequence: number,
): PlannedCapture {
  if (!(prefix >= 0 && prefix < 100 && sequence >= 0 && sequence < 10_000)) {
    throw new RangeError(`capture ${prefix}/${sequence} is outside the planned serial ranges`);
  }
  const key = `p${prefix}n${sequence}`;
  const events = eventsFor(shape, key, prefix * 100_000 + sequence);
  const withClientIds = shape !== 'event' && sequence % 2 === 0;
  if (withClientIds) for (const event of events) event['eventID'] = `urn:uuid:${randomUUID()}`;
  const body = JSON.stringify(shape === 'event' ? bareEvent(events[0]!) : epcisDocument(events));
  return {
    key,
    shape,
    path: shape === 'event' ? '/events' : '/capture',
    body,
    eventIds: withClientIds ? events.map((event) => String(event['eventID'])) : hashIds(core, body),
    epcs: instanceEpcs(events),
    container: shape === 'document-50' ? sscc(prefix * 100_000 + sequence) : null,
  };
}

const SHAPES: readonly CaptureShape[] = ['document-50', 'document-1', 'event', 'document-50'];

/** A mix of shapes that differs by client, so concurrent clients send different shapes at once. */
export function shapeFor(client: number, step: number): CaptureShape {
  return SHAPES[(client + step) % SHAPES.length]!;
}
