// Small builders for EPCIS 2.0 JSON-LD events and documents, so scenarios read like the story
// they tell ("pack 48 cases onto a pallet") rather than like JSON.
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export type Action = 'ADD' | 'OBSERVE' | 'DELETE';

export interface Where {
  readPoint?: string;
  bizLocation?: string;
  bizStep?: string;
  disposition?: string;
}

export type EpcisEvent = Record<string, unknown>;

const GCP = '0614141';

/** An SGTIN URN for item `serial` of product `item` (GS1 company prefix 0614141). */
export const sgtin = (serial: number | string, item = '107346'): string =>
  `urn:epc:id:sgtin:${GCP}.${item}.${serial}`;
/** An SSCC URN for logistic unit `serial` (pallets, cases). */
export const sscc = (serial: number): string => `urn:epc:id:sscc:${GCP}.${String(serial).padStart(10, '0')}`;
/** An SGLN URN for location `location`. */
export const sgln = (location: string): string => `urn:epc:id:sgln:${GCP}.${location}.0`;
export const lgtin = (lot: string, item = '107346'): string => `urn:epc:class:lgtin:${GCP}.${item}.${lot}`;

function common(type: string, time: string, where: Where): EpcisEvent {
  const event: EpcisEvent = { type, eventTime: time, eventTimeZoneOffset: '+00:00' };
  if (where.bizStep !== undefined) event['bizStep'] = where.bizStep;
  if (where.disposition !== undefined) event['disposition'] = where.disposition;
  if (where.readPoint !== undefined) event['readPoint'] = { id: where.readPoint };
  if (where.bizLocation !== undefined) event['bizLocation'] = { id: where.bizLocation };
  return event;
}

export function objectEvent(time: string, action: Action, epcList: string[], where: Where = {}): EpcisEvent {
  return { ...common('ObjectEvent', time, where), epcList, action };
}

export function aggregationEvent(
  time: string,
  action: Action,
  parentID: string,
  childEPCs: string[],
  where: Where = {},
): EpcisEvent {
  const event: EpcisEvent = { ...common('AggregationEvent', time, where), parentID, action };
  if (childEPCs.length > 0 || action !== 'DELETE') event['childEPCs'] = childEPCs;
  return event;
}

export function transformationEvent(
  time: string,
  inputEPCList: string[],
  outputEPCList: string[],
  where: Where = {},
): EpcisEvent {
  return { ...common('TransformationEvent', time, where), inputEPCList, outputEPCList };
}

export function epcisDocument(eventList: EpcisEvent[]): Record<string, unknown> {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-01T00:00:00Z',
    epcisBody: { eventList },
  };
}

/** One event as a bare JSON-LD event (what POST /events takes). */
export function bareEvent(event: EpcisEvent): EpcisEvent {
  return { '@context': [EPCIS_CONTEXT], ...event };
}

/** The document context of events with `example:` extension fields. */
export const EXAMPLE_CONTEXT = [EPCIS_CONTEXT, { example: 'https://ns.example.com/epcis/' }];

/**
 * The event with a note of `bytes` characters (example:note): the size of a sensor-heavy event,
 * without its cost to validate. Capture it in a document with EXAMPLE_CONTEXT.
 */
export function paddedEvent(event: EpcisEvent, bytes: number): EpcisEvent {
  return { ...event, 'example:note': 'x'.repeat(bytes) };
}

/** A document whose context declares the `example:` namespace of paddedEvent's note. */
export function exampleDocument(eventList: EpcisEvent[]): Record<string, unknown> {
  return { ...epcisDocument(eventList), '@context': EXAMPLE_CONTEXT };
}
