// Response schema of GET /epcs/{epc}/state (contracts.md §A). Fastify compiles it into a dedicated
// serialiser (fast-json-stringify), which matters on the hottest read path of the service.
const nullableString = { type: ['string', 'null'] } as const;

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
