// EPCISEventType's own fields, in the sequence of GS1's XSD, which every event type extends: they
// stand first in an event element, in this order. baseExtension is 1.2's wrapper for errorDeclaration
// and the like; the reader unwraps it, so the JSON (and the 2.0 XML written from it) never holds it.
export const EVENT_TYPE_FIELDS: readonly string[] = [
  'eventTime',
  'recordTime',
  'eventTimeZoneOffset',
  'eventID',
  'errorDeclaration',
  'certificationInfo',
  'baseExtension',
];
