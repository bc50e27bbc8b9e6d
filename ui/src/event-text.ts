// One-line descriptions of EPCIS events for lists, the timeline and the feed.
import type { EpcisEvent } from './api-types.js';
import { shortId, wordOf } from './identifiers.js';

const TYPE_WORDS: Record<string, string> = {
  ObjectEvent: 'Object',
  AggregationEvent: 'Aggregation',
  TransactionEvent: 'Transaction',
  TransformationEvent: 'Transformation',
  AssociationEvent: 'Association',
};

/** "shipping" when the event has a business step, else its type and action ("Aggregation ADD"). */
export function eventTitle(event: EpcisEvent): string {
  if (event.bizStep !== undefined) return wordOf(event.bizStep);
  const type = TYPE_WORDS[event.type ?? ''] ?? event.type ?? 'event';
  return event.action === undefined ? type : `${type} ${event.action}`;
}

/** Where it happened: the business location, else the read point, as short labels. */
export function eventLocation(event: EpcisEvent): string {
  const where = event.bizLocation?.id ?? event.readPoint?.id;
  return where === undefined ? '' : shortId(where);
}

/** The identifiers an event is about, the parent first. */
export function eventIdentifiers(event: EpcisEvent): string[] {
  const ids = [
    ...(event.parentID === undefined ? [] : [event.parentID]),
    ...(event.epcList ?? []),
    ...(event.childEPCs ?? []),
    ...(event.inputEPCList ?? []),
    ...(event.outputEPCList ?? []),
  ];
  for (const quantity of event.quantityList ?? []) {
    if (quantity.epcClass !== undefined) ids.push(quantity.epcClass);
  }
  return ids;
}
