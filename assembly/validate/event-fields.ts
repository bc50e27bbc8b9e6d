// The five EPCIS event types and the members each one may carry: the schema's per-type
// `propertyNames` lists (common members first). Anything else on an event must be an extension
// whose name is a URI or CURIE; events of a URI-named extension type carry any members.
import { NameTable } from './name-table';

export enum EventType {
  Object = 0,
  Aggregation = 1,
  Transaction = 2,
  Transformation = 3,
  Association = 4,
  /** A URI-named type (schema `Extended-Event`): only the common members are checked. */
  Extended = 5,
}

export const EVENT_TYPE_NAMES: string[] = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
];

const EVENT_TYPES = new NameTable(EVENT_TYPE_NAMES);

/** The event type named by `type`; Extended for every other string. */
export function eventTypeOf(type: string): EventType {
  const at = EVENT_TYPES.indexOf(type);
  return at < 0 ? EventType.Extended : <EventType>at;
}

// prettier-ignore
export enum Field {
  Context, Type, EventTime, RecordTime, EventTimeZoneOffset, EventID, CertificationInfo, ErrorDeclaration,
  Action, EpcList, QuantityList, BizStep, Disposition, PersistentDisposition, ReadPoint, BizLocation,
  BizTransactionList, SourceList, DestinationList, SensorElementList, Ilmd, ParentID, ChildEPCs,
  ChildQuantityList, InputEPCList, InputQuantityList, OutputEPCList, OutputQuantityList, TransformationID,
}

/** Member names in Field order. */
// prettier-ignore
export const FIELDS = new NameTable([
  '@context', 'type', 'eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID', 'certificationInfo', 'errorDeclaration',
  'action', 'epcList', 'quantityList', 'bizStep', 'disposition', 'persistentDisposition', 'readPoint', 'bizLocation',
  'bizTransactionList', 'sourceList', 'destinationList', 'sensorElementList', 'ilmd', 'parentID', 'childEPCs',
  'childQuantityList', 'inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList', 'transformationID',
]);

export function bit(f: Field): u32 {
  return (<u32>1) << (<u32>f);
}

/** The bits of the space-separated member names in `list`. */
function maskOf(list: string): u32 {
  const names = list.split(' ');
  let mask: u32 = 0;
  for (let i = 0; i < names.length; i++) mask |= bit(<Field>FIELDS.indexOf(names[i]));
  return mask;
}

// The schema's `common-event-properties` and each type's `propertyNames` enum, verbatim.
const COMMON = maskOf(
  '@context type eventTime recordTime eventTimeZoneOffset eventID certificationInfo errorDeclaration',
);
// prettier-ignore
const ALLOWED: u32[] = [
  COMMON | maskOf('action epcList quantityList bizStep disposition persistentDisposition readPoint bizLocation bizTransactionList sourceList destinationList sensorElementList ilmd'),
  COMMON | maskOf('parentID childEPCs childQuantityList action bizStep disposition readPoint bizLocation bizTransactionList sourceList destinationList sensorElementList'),
  COMMON | maskOf('bizTransactionList parentID epcList quantityList action bizStep disposition readPoint bizLocation sourceList destinationList sensorElementList'),
  COMMON | maskOf('inputEPCList inputQuantityList outputEPCList outputQuantityList transformationID bizStep disposition persistentDisposition readPoint bizLocation bizTransactionList sourceList destinationList sensorElementList ilmd'),
  COMMON | maskOf('parentID childEPCs childQuantityList action bizStep disposition readPoint bizLocation bizTransactionList sourceList destinationList sensorElementList'),
  0xffffffff,
];

/** True when an event of type `type` may carry member `field`. */
export function isAllowed(type: EventType, field: Field): bool {
  return (unchecked(ALLOWED[type]) & bit(field)) != 0;
}
