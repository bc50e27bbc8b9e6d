// Response schemas of GET /epcs/{epc}/state and GET /trace/{epc} (contracts.md §A): the contracts the
// tests check answers against. Neither goes through a serialiser: the core writes a state answer
// whole, in this key order (assembly/abi/state-answer.ts), and a trace page is streamed a slice of
// nodes at a time (trace-page-body.ts).
import type { TruncationReason } from '../../tracking/trace.js';

const nullableString = { type: ['string', 'null'] } as const;

const transitSchema = {
  type: ['object', 'null'],
  properties: {
    since: { type: 'string' },
    from: {
      type: 'object',
      properties: { bizLocation: nullableString, readPoint: nullableString },
    },
    via: nullableString,
  },
} as const;

export const stateResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'epc',
    'asOf',
    'bizLocation',
    'readPoint',
    'disposition',
    'lastEvent',
    'parent',
    'location',
    'inTransit',
    'associatedWith',
    'childCount',
    'decommissioned',
    'commissionedBy',
    'decommissionedBy',
    'transformed',
  ],
  properties: {
    epc: { type: 'string' },
    asOf: nullableString,
    bizLocation: nullableString,
    readPoint: nullableString,
    disposition: nullableString,
    lastEvent: {
      type: ['object', 'null'],
      properties: { eventID: { type: 'string' }, eventTime: { type: 'string' }, bizStep: nullableString },
    },
    parent: {
      type: ['object', 'null'],
      properties: {
        epc: { type: 'string' },
        since: { type: 'string' },
        bizLocation: nullableString,
        readPoint: nullableString,
      },
    },
    location: {
      type: 'object',
      properties: {
        bizLocation: nullableString,
        readPoint: nullableString,
        source: { type: 'string' },
        via: nullableString,
      },
    },
    // Null unless shipped (disposition in_transit, itself or in a container: via) and seen at no
    // bizLocation since; location.bizLocation is then null and the origin is in `from`.
    inTransit: transitSchema,
    associatedWith: nullableString,
    childCount: { type: 'integer' },
    decommissioned: { type: 'boolean' },
    commissionedBy: nullableString,
    decommissionedBy: nullableString,
    transformed: {
      type: 'object',
      properties: { consumedBy: nullableString, producedBy: nullableString },
    },
  },
} as const;

// A trace node's state: the effective location (bizLocation null while in transit) and, while it
// is on its way, the same `inTransit` as GET /epcs/{epc}/state.
const briefStateSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['bizLocation', 'readPoint', 'disposition', 'decommissioned', 'inTransit'],
  properties: {
    bizLocation: nullableString,
    readPoint: nullableString,
    disposition: nullableString,
    decommissioned: { type: 'boolean' },
    inTransit: transitSchema,
  },
} as const;

/** Why a trace stopped early; `limit` is in nodes, levels, edges or milliseconds accordingly. */
export const TRACE_TRUNCATION_REASONS = [
  'node-limit',
  'depth',
  'edge-budget',
  'time-budget',
] as const satisfies readonly TruncationReason[];

export const traceResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'origin',
    'direction',
    'depth',
    'total',
    'truncated',
    'truncation',
    'summaryByLocation',
    'nodes',
  ],
  properties: {
    origin: { type: 'string' },
    direction: { type: 'string', enum: ['forward', 'backward'] },
    depth: { type: 'integer' },
    total: { type: 'integer' },
    truncated: { type: 'boolean' },
    truncation: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['reason', 'limit'],
      properties: {
        reason: { type: 'string', enum: TRACE_TRUNCATION_REASONS },
        limit: { type: 'integer' },
      },
    },
    // Forward only: node counts where they are now; those in transit grouped apart by the
    // bizLocation they left from (bizLocation null, inTransit true, from), those with no known
    // location as bizLocation null, inTransit false.
    summaryByLocation: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['bizLocation', 'inTransit', 'from', 'count'],
        properties: {
          bizLocation: nullableString,
          inTransit: { type: 'boolean' },
          from: nullableString,
          count: { type: 'integer' },
        },
      },
    },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['epc', 'depth', 'relation', 'via', 'from', 'state'],
        properties: {
          epc: { type: 'string' },
          depth: { type: 'integer' },
          relation: { type: 'string', enum: ['input', 'output', 'container', 'content', 'association'] },
          via: { type: 'string' },
          from: { type: 'string' },
          state: briefStateSchema,
        },
      },
    },
  },
} as const;
