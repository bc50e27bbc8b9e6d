// The typed view of what tracker.wasm returns. Field names match assembly/capture/result-writer.ts
// and assembly/abi/lookups.ts.
import type { CoreStatus } from './status.js';

export type EpcRole =
  | 'epcList'
  | 'parentID'
  | 'childEPCs'
  | 'inputEPCList'
  | 'outputEPCList'
  | 'quantityList'
  | 'childQuantityList'
  | 'inputQuantityList'
  | 'outputQuantityList';

/** [canonical identifier, role] or, for quantity entries, [class, role, quantity | null, uom | null]. */
export type EpcKey = [string, EpcRole] | [string, EpcRole, number | null, string | null];
/** [expanded type | null, canonical value]. */
export type TypedValue = [string | null, string];

export interface RejectedEvent {
  index: number;
  accepted: false;
  start: number;
  end: number;
}

export interface AcceptedEvent {
  index: number;
  accepted: true;
  /** Byte range of the event's JSON text in the captured document. */
  start: number;
  end: number;
  type: string;
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  /** The eventID the client sent; null when the host must assign hashId. */
  eventId: string | null;
  /** The CBV 2.0 event hash ID, `ni:///sha-256;…?ver=CBV2.0`. */
  hashId: string;
  eventTimeMs: number;
  eventTimeZoneOffset: string;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  transformationId: string | null;
  persistentDisposition: { set: string[]; unset: string[] };
  epcs: EpcKey[];
  bizTransactions: TypedValue[];
  sources: TypedValue[];
  destinations: TypedValue[];
  errorDeclaration: { declarationTimeMs: number; reason: string | null; correctiveEventIds: string[] } | null;
  hasSensorData: boolean;
}

export type PreparedEvent = AcceptedEvent | RejectedEvent;

export interface CaptureIssue {
  /** Position in the event list, or -1 for the document as a whole. */
  eventIndex: number;
  /** JSON pointer from the document root. */
  pointer: string;
  message: string;
}

export interface CaptureResult {
  status: CoreStatus;
  /** Handle of the prepared batch to commit or discard; 0 when no event was accepted. */
  batchId: number;
  documentKind: 'EPCISDocument' | 'EPCISQueryDocument' | 'Event' | null;
  /** Byte range of the document's root @context value (absent for a bare event). */
  contextRange: [number, number] | null;
  events: PreparedEvent[];
  issues: CaptureIssue[];
  issuesTruncated: boolean;
  /** Present when requested: the pre-hash string of each accepted event, in order. */
  prehashes?: string[];
}

export interface EpcState {
  epc: string;
  bizLocation: string | null;
  readPoint: string | null;
  disposition: string | null;
  lastEventId: string | null;
  lastEventTimeMs: number;
  lastBizStep: string | null;
  parent: string | null;
  parentSinceMs: number;
  associatedWith: string | null;
  childCount: number;
  decommissioned: boolean;
  decommissionedByEventId: string | null;
  commissionedByEventId: string | null;
  consumedByEventId: string | null;
  producedByEventId: string | null;
  /**
   * Effective location: per field, the newest of the EPC's own value and those of the containers
   * it is inside now (assembly/state/state-queries.ts `locate`).
   */
  locationBizLocation: string | null;
  locationReadPoint: string | null;
  /** The container that supplied the effective location; null when it is the EPC's own. */
  locationVia: string | null;
  /**
   * Shipped (disposition in_transit, itself or in a container) and seen at no bizLocation since
   * (assembly/state/effective-location.ts): the effective bizLocation is then null.
   */
  inTransit: boolean;
  /** eventTime of the event that started the transit; 0 when not in transit. */
  transitSinceMs: number;
  /** Where it left: the last bizLocation and the last readPoint up to the transit's start. */
  transitFromBizLocation: string | null;
  transitFromReadPoint: string | null;
  /** The container whose shipment it is; null when its own or not in transit. */
  transitVia: string | null;
  /** The parent's effective location (null fields when there is no parent). */
  parentBizLocation: string | null;
  parentReadPoint: string | null;
}

/** Where an EPC in transit left from and since when: the `inTransit` of GET /epcs/{epc}/state. */
export interface TransitView {
  /** eventTime (ISO 8601, UTC) of the event that started the transit. */
  since: string;
  /** The last bizLocation and readPoint before it left. */
  from: { bizLocation: string | null; readPoint: string | null };
  /** The container whose shipment it is; null when its own. */
  via: string | null;
}

/**
 * What a batch lookup (TrackerCore.briefStates) tells about one EPC; GET /trace answers it as each
 * node's `state`.
 */
export interface BriefState {
  /** Effective location, as in EpcState: bizLocation is null while in transit. */
  bizLocation: string | null;
  readPoint: string | null;
  disposition: string | null;
  decommissioned: boolean;
  /** Set while it is on its way (EpcState.inTransit), so that "left X" never reads as "at X". */
  inTransit: TransitView | null;
}

export interface ContainerContents {
  container: string;
  children: string[];
}

export enum IdentifierStatus {
  Canonical = 0,
  NotGs1 = 1,
  Invalid = 2,
}

export interface CanonicalIdentifier {
  status: IdentifierStatus;
  value: string;
  reason: string;
  /** Invalid only because of a wrong check digit. */
  onlyCheckDigit: boolean;
  /** GS1 Application Identifier of the primary key, when known ("01", "414", …). */
  primaryAi: string;
}

/**
 * Keys whose check digits capture enforces (GTIN, SSCC, GLN, party GLN); a wrong check digit on
 * another key is tolerated (assembly/capture/extract-keys.ts), and queries follow the same rule.
 */
export const CHECKED_PRIMARY_KEYS: ReadonlySet<string> = new Set(['01', '00', '414', '417']);

export function isRefusedIdentifier(result: CanonicalIdentifier): boolean {
  return (
    result.status === IdentifierStatus.Invalid &&
    !(result.onlyCheckDigit && !CHECKED_PRIMARY_KEYS.has(result.primaryAi))
  );
}

export interface IndexStats {
  epcs: number;
  events: number;
  indexBytes: number;
  memoryBytes: number;
}

export interface CoreLimits {
  maxDocumentBytes: number;
  maxEvents: number;
  maxDepth: number;
  maxIssues: number;
  /**
   * Reject sensor attributes stated in both sensorMetadata and a sensorReport, and sensorMetadata
   * times after eventTime (draft GS1 test cases). Off by default: GS1's own examples break both.
   */
  strictSensorRules: boolean;
}

/** An event as stored, with what the state index needs (see TrackerCore.applyStored). */
export interface StoredStateEvent {
  type: string;
  action: string | null;
  eventTimeMs: number;
  hashId: string;
  eventId: string;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  isDeclaration: boolean;
  epcs: EpcKey[];
}
