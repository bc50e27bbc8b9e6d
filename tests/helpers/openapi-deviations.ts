// Where the contract check departs from GS1's openapi.json, each with its reason. Schema fixes are
// applied to a copy of the document before ajv compiles it; the rest are rules the checker reads.
// Anything not listed here is checked exactly as GS1 published it.

type Json = Record<string, unknown>;

/** A fix to GS1's document: where (a JSON pointer), why, and the change. */
interface SpecFix {
  at: string;
  why: string;
  apply(node: Json): void;
}

const problemVariants = (node: Json): Json[] =>
  Object.values(node['content'] as Record<string, Json>).map(
    (media) => ((media['schema'] as Json)['allOf'] as Json[])[0]!['properties'] as Json,
  );

export const SPEC_FIXES: readonly SpecFix[] = [
  {
    at: '/components/responses/409ResourceAlreadyExistsException',
    why: "the 409 schema's status enum is [406], a copy-paste slip from 406NotAcceptable",
    apply: (node) => {
      for (const props of problemVariants(node)) props['status'] = { type: 'integer', enum: [409] };
    },
  },
  {
    at: '/components/responses/404ResourceNotFound',
    why: 'its type enum names only NoSuchNameException while its own example is NoSuchResourceException; a missing event, capture job or subscription is a resource, a missing named query a name',
    apply: (node) => {
      for (const props of problemVariants(node)) {
        (props['type'] as Json)['enum'] = [
          'epcisException:NoSuchNameException',
          'epcisException:NoSuchResourceException',
        ];
      }
    },
  },
  {
    at: '/components/schemas/GS1-Extensions',
    why: 'typed as an object, but a header is text: a comma-separated list of prefix=namespace (empty when none)',
    apply: (node) => {
      node['type'] = 'string';
    },
  },
  {
    at: '/components/schemas/Link',
    why: 'typed as a bare URI, but the Link header is an RFC 8288 link-value: <uri-reference>; rel="next"',
    apply: (node) => {
      delete node['format'];
      node['pattern'] = '^<[^>]+>(\\s*;\\s*[A-Za-z*-]+="?[^";]*"?)+$';
    },
  },
  {
    at: '/components/schemas/CaptureJob/allOf/1',
    why: 'its oneOf of {errors} and {errorFile} requires neither member, so every job matches both branches and fails oneOf; the intent is one or the other',
    apply: (node) => {
      node['anyOf'] = node['oneOf'];
      delete node['oneOf'];
    },
  },
  {
    at: '/paths/~1queries~1{queryName}/get/responses/200/content/application~1json/schema',
    why: 'GET /queries/{queryName} returns one query definition (as its own example shows), but is typed as an array',
    apply: (node) => {
      const item = node['items'] as Json;
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, item);
    },
  },
  {
    at: '/components/schemas/GS1-Capture-Error-Behaviour',
    why: 'OPTIONS /capture announces every behaviour the server supports, an HTTP list (rollback, proceed); a request names one',
    apply: (node) => {
      delete node['enum'];
      delete node['default'];
      node['pattern'] = '^(rollback|proceed|all)(\\s*,\\s*(rollback|proceed|all))*$';
    },
  },
  {
    at: '/paths/~1capture/post/responses/202',
    why: 'declares no body, but the job is finished before the 202 is sent, so the answer carries it (README)',
    apply: (node) => {
      node['content'] = { 'application/json': { schema: { $ref: '#/components/schemas/CaptureJob' } } };
    },
  },
  {
    at: '/paths/~1queries/post/responses',
    why: 'declares no 400, yet a definition that is not a valid query must be refused; and 201 declares no body, we echo the definition',
    apply: (node) => {
      node['400'] = { $ref: '#/components/responses/400QueryIssues' };
      node['201'] = {
        ...(node['201'] as Json),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryDefinition' } } },
      };
    },
  },
  {
    at: '/components/responses/400SubscriptionIssues/content',
    why: 'typed application/json, though it is an RFC 7807 problem like every other error (application/problem+json)',
    apply: (node) => {
      node['application/problem+json'] = node['application/json'];
      delete node['application/json'];
    },
  },
  {
    at: '/paths/~1queries~1{queryName}~1subscriptions/post/responses',
    why: 'declares no 400, which its GET declares (400SubscriptionIssues) for the same controls',
    apply: (node) => {
      node['400'] = { $ref: '#/components/responses/400SubscriptionIssues' };
    },
  },
  {
    at: '/paths/~1queries~1{queryName}~1subscriptions/post/responses/201/headers/Location/schema',
    why: 'typed as an absolute URI, while every other Location in the document is "absolute or relative" (POST /events says so); ours are relative like the rest',
    apply: (node) => {
      node['format'] = 'uri-reference';
    },
  },
  {
    at: '/paths/~1queries~1{queryName}~1events/get/responses',
    why: 'its 400 names only the subscription exceptions, yet the operation pages (perPage, nextPageToken) like every event query, whose 400QueryIssues names QueryParameterException',
    apply: (node) => {
      const subscription =
        '#/components/responses/400SubscriptionIssues/content/application~1problem+json/schema';
      const query = '#/components/responses/400QueryIssues/content/application~1problem+json/schema';
      node['400'] = {
        content: {
          'application/problem+json': { schema: { anyOf: [{ $ref: subscription }, { $ref: query }] } },
        },
      };
    },
  },
  ...['Second', 'Minute', 'Hour', 'DayOfMonth', 'Month', 'DayOfWeek'].map((field): SpecFix => ({
    at: `/components/schemas/GS1-Query-${field}`,
    why: 'its pattern uses PCRE subroutine calls (\\g<element>) that no ECMAScript engine compiles; the value is checked as a string',
    apply: (node) => {
      delete node['pattern'];
    },
  })),
  {
    at: '/paths/~1epcs~1{epc}/get/responses',
    why: 'an EPC also has the tracking sub-resources state and contents (our extension) besides events',
    apply: (node) => {
      node['200'] = {
        headers: { 'GS1-EPCIS-Version': { $ref: '#/components/headers/GS1-EPCIS-Version' } },
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['@context', 'type', 'member'],
              properties: {
                '@context': { $ref: '#/components/schemas/LDContext' },
                type: { enum: ['Collection'] },
                member: {
                  type: 'array',
                  uniqueItems: true,
                  minItems: 1,
                  items: { enum: ['events', 'state', 'contents'] },
                },
              },
            },
          },
        },
      };
    },
  },
  {
    at: '/paths/~1nextPageToken~1{token}',
    why: 'the only path without OPTIONS, though EPCIS answers OPTIONS on every resource with the discovery headers',
    apply: (node) => {
      node['options'] = {
        responses: { '204': { $ref: '#/components/responses/204DefaultDiscoveryResponse' } },
      };
    },
  },
  {
    at: '/paths/~1events/get/responses',
    why: 'declares no 400, though every other event query (/epcs/{epc}/events …, /queries/{name}/events) refuses bad parameters with 400QueryIssues',
    apply: (node) => {
      node['400'] = { $ref: '#/components/responses/400QueryIssues' };
    },
  },
  {
    at: '/components/schemas/measurementType/anyOf/1/enum',
    why: "newer GS1 measurement types the service accepts on purpose (README, assembly/vocab/words.ts NEWER_MEASUREMENT_TYPE_WORDS); GS1's and OpenEPCIS's own examples use them",
    apply: (node) => {
      (node as unknown as string[]).push('EffectiveDoseRate', 'Molar_concentration');
    },
  },
  ...[
    '/capture',
    '/eventTypes',
    '/epcs',
    '/bizSteps',
    '/bizLocations',
    '/readPoints',
    '/dispositions',
    '/queries',
  ].map((path): SpecFix => ({
    at: `/paths/${path.replace('/', '~1')}/get/responses`,
    why: 'a list pages with perPage and nextPageToken, which a client can get wrong, yet declares no 400',
    apply: (node) => {
      node['400'] = { $ref: '#/components/responses/400QueryIssues' };
    },
  })),
];

/**
 * Statuses any operation may answer though the OpenAPI lists them per operation or not at all: they
 * come from checks that run before or around every route. The body must still be an RFC 7807
 * problem of that status, of one of the listed types when a list is given.
 */
export const CROSS_CUTTING_STATUSES: Readonly<Record<number, { why: string; types?: string[] }>> = {
  400: {
    why: 'a malformed percent-encoding or header is refused by the router before any operation runs',
    types: ['ValidationException'],
  },
  401: { why: 'access control runs before routing (DELETE /nextPageToken declares no 401)' },
  403: { why: 'access control runs before routing (DELETE /nextPageToken declares no 403)' },
  406: { why: 'Accept and GS1-EPC-Format are negotiated for every request' },
  408: { why: 'a request whose body does not arrive in time is ended by the request timeout' },
  413: { why: 'the body limit applies to every request with a body' },
  414: { why: 'the URL length limit is checked before routing (declared on the query operations only)' },
  415: { why: 'every request body must be JSON or JSON-LD' },
  429: { why: 'rate limiting answers before any operation runs' },
  500: { why: 'any operation can fail unexpectedly' },
  503: { why: 'a service shutting down or a store that cannot write answers ServiceUnavailableException' },
};

/** JSON-LD is JSON: EPCIS documents are answered as application/ld+json where application/json is declared. */
export const EQUIVALENT_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'application/ld+json': 'application/json',
};

/**
 * Our own resources, which GS1's document does not describe; the check skips them by this list,
 * never silently. Patterns in the OpenAPI's {param} form; `*` matches the rest of the path.
 */
export const EXTENSION_PATHS: Readonly<Record<string, string>> = {
  '/health': 'liveness probe',
  '/health/sync': 'sync status',
  '/ready': 'readiness probe',
  '/metrics': 'Prometheus metrics',
  '/ui': 'tracking console',
  '/ui/*': 'tracking console assets',
  '/events/stream': 'live feed (Server-Sent Events)',
  '/epcs/{epc}/state': 'tracking API: current state of an item',
  '/epcs/{epc}/contents': 'tracking API: containment tree',
  '/trace/{epc}': 'tracking API: recall trace',
};
