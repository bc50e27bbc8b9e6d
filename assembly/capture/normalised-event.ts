// What the core derives from one captured event: its identity, its normalised fields and the keys
// the host indexes it by. Filled by extract-keys.ts, written out by result-writer.ts and, once the
// host has committed the batch, applied to the state index.

/** Where an identifier appears in an event; the host stores it with the EPC index row. */
export enum EpcRole {
  EpcList = 0,
  ParentId = 1,
  ChildEpcs = 2,
  InputEpcList = 3,
  OutputEpcList = 4,
  QuantityList = 5,
  ChildQuantityList = 6,
  InputQuantityList = 7,
  OutputQuantityList = 8,
}

export const EPC_ROLE_NAMES: string[] = [
  'epcList',
  'parentID',
  'childEPCs',
  'inputEPCList',
  'outputEPCList',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
];

/** An identifier with the role it plays; `quantity`/`uom` only for class-level (quantity) entries. */
export class EpcKey {
  constructor(
    public id: string,
    public role: EpcRole,
    public quantity: string | null = null,
    public uom: string | null = null,
  ) {}
}

/** A typed pair such as a business transaction, a source or a destination, in expanded form. */
export class TypedValue {
  constructor(
    public type: string | null,
    public value: string,
  ) {}
}

export class ErrorDeclarationKeys {
  declarationTimeMs: i64 = 0;
  reason: string | null = null;
  correctiveEventIds: Array<string> = new Array<string>();
}

export class NormalisedEvent {
  /** Position in the document's event list. */
  index: i32 = 0;
  accepted: bool = false;
  /** Byte range of the event's JSON text in the input document. */
  start: i32 = 0;
  end: i32 = 0;
  type: string = '';
  action: string | null = null;
  /** The eventID the client sent, if any; the host assigns hashId when it is missing. */
  eventId: string | null = null;
  hashId: string = '';
  prehash: string = '';
  eventTimeMs: i64 = 0;
  eventTimeZoneOffset: string = '';
  bizStep: string | null = null;
  disposition: string | null = null;
  readPoint: string | null = null;
  bizLocation: string | null = null;
  transformationId: string | null = null;
  persistentDispositionSet: Array<string> = new Array<string>();
  persistentDispositionUnset: Array<string> = new Array<string>();
  epcs: Array<EpcKey> = new Array<EpcKey>();
  bizTransactions: Array<TypedValue> = new Array<TypedValue>();
  sources: Array<TypedValue> = new Array<TypedValue>();
  destinations: Array<TypedValue> = new Array<TypedValue>();
  errorDeclaration: ErrorDeclarationKeys | null = null;
  /** True when the event carries sensorElementList (queries filter on it). */
  hasSensorData: bool = false;
}
