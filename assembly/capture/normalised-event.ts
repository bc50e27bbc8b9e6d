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

// The lists an event does not have share these empty arrays (an array is two or three allocations,
// and most events carry no persistentDisposition, some no sources or transactions). They are
// never pushed to: extract-keys.ts gives an event a list of its own when the field is present.
export const NO_STRINGS = new Array<string>();
export const NO_TYPED_VALUES = new Array<TypedValue>();

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
  /** The pre-hash string, only when prepareDocument was asked to keep it (debugging hash IDs). */
  prehash: string = '';
  /** Byte range of the UTF-8 pre-hash in the batch's pre-hash buffer, valid while hashing. */
  prehashStart: i32 = 0;
  prehashLength: i32 = 0;
  eventTimeMs: i64 = 0;
  eventTimeZoneOffset: string = '';
  bizStep: string | null = null;
  disposition: string | null = null;
  readPoint: string | null = null;
  bizLocation: string | null = null;
  transformationId: string | null = null;
  persistentDispositionSet: Array<string> = NO_STRINGS;
  persistentDispositionUnset: Array<string> = NO_STRINGS;
  epcs: Array<EpcKey> = new Array<EpcKey>();
  bizTransactions: Array<TypedValue> = NO_TYPED_VALUES;
  sources: Array<TypedValue> = NO_TYPED_VALUES;
  destinations: Array<TypedValue> = NO_TYPED_VALUES;
  errorDeclaration: ErrorDeclarationKeys | null = null;
  /** True when the event carries sensorElementList (queries filter on it). */
  hasSensorData: bool = false;
}
