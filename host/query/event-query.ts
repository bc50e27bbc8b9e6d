// The parsed, normalised form of an EPCIS 2.0 event query (GET /events parameters or a POST
// /queries body). Values are already in the form the store keeps: canonical identifiers (GS1 Digital
// Link on id.gs1.org), CBV values expanded to https://ref.gs1.org/cbv/…, instants in epoch ms.
// Everything here is plain data so it can be fingerprinted, logged and compiled without the parser.
import type { EpcRole } from '../core/types.js';
import type { LinkKind } from '../store/event-writer.js';

/** Identifier canonicalisation, done by the core; injected so the query code never loads Wasm. */
export interface IdentifierCanon {
  /** The canonical Digital Link of a URN/DL (an idpat pattern gives its class DL), or `id` unchanged. */
  canonical(id: string): string;
  isInvalid(id: string): boolean;
}

export interface QueryParameterProblem {
  type: 'QueryParameterException';
  /** The parameter the client has to change. */
  parameter: string;
  /** One sentence saying what is wrong and what would be accepted. */
  detail: string;
}

export type ParseResult = { ok: true; query: EventQuery } | { ok: false; problem: QueryParameterProblem };

/** Columns of `events` a filter may name; compile-query only ever interpolates these constants. */
export type EventColumn =
  | 'event_type'
  | 'action'
  | 'biz_step'
  | 'disposition'
  | 'read_point'
  | 'biz_location'
  | 'transformation_id'
  | 'event_id'
  | 'error_reason';

export type TimeColumn = 'event_time_ms' | 'record_time_ms' | 'declaration_time_ms';

// The stored vocabularies of event_epcs.role and event_links.kind are defined once, by the writer side.
export type { EpcRole, LinkKind };

export type Comparison = 'EQ' | 'GT' | 'GE' | 'LT' | 'LE';
export type Bound = { op: 'GT' | 'GE' | 'LT' | 'LE'; value: number };

/** Where an extension field is looked up in the stored event JSON (see compile-json-filters.ts). */
export type ExtensionScope =
  | 'event'
  | 'ilmd'
  | 'errorDeclaration'
  | 'readPoint'
  | 'bizLocation'
  | 'sensorElement'
  | 'sensorMetadata'
  | 'sensorReport';

/** A test on one JSON value: equality with any of several values, an ordering, or presence. */
export type ValueTest =
  | { op: 'EQ'; texts: string[]; numbers: number[]; instantsMs: number[] }
  | { op: 'GT' | 'GE' | 'LT' | 'LE'; number: number }
  | { op: 'GT' | 'GE' | 'LT' | 'LE'; instantMs: number }
  | { op: 'EXISTS' };

/** A condition on one field of a sensorMetadata/sensorReport pair, resolved in the stored JSON. */
export type SensorCondition =
  | { kind: 'field'; field: string; from: 'report' | 'metadata' | 'either'; test: ValueTest }
  /** A measurement (`value`, `minValue`, …) compared in any of several units, each with its own threshold. */
  | { kind: 'measurement'; field: string; op: Comparison; thresholds: { uom: string; value: number }[] };

export type QueryFilter =
  | { kind: 'column-in'; column: EventColumn; values: string[] }
  | { kind: 'time-range'; column: TimeColumn; geMs?: number; ltMs?: number }
  /** WD_readPoint / WD_bizLocation: the locations themselves, or anything under `prefixes`. */
  | { kind: 'location-within'; column: 'read_point' | 'biz_location'; values: string[]; prefixes: string[] }
  /** MATCH_*: an identifier in one of `roles`, equal to one of `values` or starting with a prefix. */
  | { kind: 'identifier'; roles: EpcRole[]; values: string[]; prefixes: string[] }
  /** One quantity element (with this uom, or any when null) equal to one of `equals` and within `bounds`. */
  | { kind: 'quantity'; uom: string | null; equals: number[] | null; bounds: Bound[] }
  | { kind: 'link'; link: LinkKind; type: string | null; values: string[] }
  | { kind: 'flag'; column: 'is_declaration' | 'has_sensor_data' }
  | { kind: 'extension'; scope: ExtensionScope; inner: boolean; field: string; test: ValueTest }
  | { kind: 'sensor'; conditions: SensorCondition[] };

/** `arrival` is the store's seq order: the order used when the client names none. */
export type OrderKey =
  { by: 'arrival' } | { by: 'eventTime' } | { by: 'recordTime' } | { by: 'extension'; field: string };

export interface EventQuery {
  /** All must hold (AND); each filter's own value list is an OR. */
  filters: QueryFilter[];
  order: OrderKey;
  direction: 'ASC' | 'DESC';
  eventCountLimit: number | null;
  maxEventCount: number | null;
  perPage: number;
  nextPageToken: string | null;
}

/** A keyset position: the last row a page returned, and how many rows all pages returned so far. */
export interface PageKey {
  /** The order value of that row; null when ordering by arrival or the row lacks the field. */
  sortValue: number | string | null;
  seq: number;
  returned: number;
}

/** The columns of `events` a query hands to the HTTP layer. */
export interface StoredEventRow {
  seq: number;
  eventId: string;
  hashId: string;
  eventType: string;
  eventTimeMs: number;
  eventTimeOffset: string;
  recordTimeMs: number;
  isDeclaration: boolean;
  originSite: string;
  contextJson: string | null;
  body: string;
}
