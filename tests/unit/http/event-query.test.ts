// GET /events through HTTP: one query per parameter family, pipe-delimited values, pagination with
// Link / nextPageToken, limits, GS1-EPC-Format and content negotiation (EPCIS.md §1.6). The query
// engine's semantics are unit-tested in tests/unit/query; these tests pin the HTTP contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EPCIS_CONTEXT,
  epcisDocument,
  lgtin,
  objectEvent,
  sgln,
  sgtin,
  sscc,
} from '../../helpers/epcis-builders.js';
import {
  buildServiceApp,
  eventList,
  get,
  nextLink,
  post,
  type ServiceApp,
} from '../../helpers/service-app.js';
import { expectProblem } from './helpers/expectations.js';
import { eventId, STORY_EVENTS, storyDeclaration, storyDocument, storyName } from './helpers/story.js';

const MAX_URL_LENGTH = 2048;

let service: ServiceApp;
let capturedAtMs: number;
beforeAll(async () => {
  service = await buildServiceApp({ config: { maxUrlLength: MAX_URL_LENGTH } });
  capturedAtMs = Date.now();
  const captured = await post(service.app, '/capture', storyDocument());
  expect(captured.json<{ success: boolean }>().success, captured.body).toBe(true);
  expect((await post(service.app, '/events', storyDeclaration())).statusCode).toBe(201);
});
afterAll(() => service.close());

const query = (params: Record<string, string>) => `/events?${new URLSearchParams(params).toString()}`;

async function namesFound(params: Record<string, string>): Promise<string[]> {
  const response = await get(service.app, query({ perPage: '100', ...params }));
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/ld\+json\b/);
  return eventList(response).map(storyName);
}

describe('GET /events query parameters', () => {
  const families: [string, Record<string, string>, string[]][] = [
    ['eventType (pipe-delimited)', { eventType: 'AggregationEvent|TransformationEvent' }, ['2', '4']],
    [
      'GE_eventTime / LT_eventTime (inclusive / exclusive)',
      { GE_eventTime: '2024-03-02T07:00:00Z', LT_eventTime: '2024-03-03T07:00:00Z' },
      ['2'],
    ],
    ['GE_recordTime', { GE_recordTime: '2000-01-01T00:00:00Z' }, ['1', '2', '3', '4', '5', '6', '7']],
    ['LT_recordTime', { LT_recordTime: '2000-01-01T00:00:00Z' }, []],
    ['EQ_action', { EQ_action: 'ADD' }, ['1', '2']],
    ['EQ_bizStep (bare words, pipe-delimited)', { EQ_bizStep: 'packing|commissioning' }, ['1', '2', '4']],
    ['EQ_bizStep (expanded URI)', { EQ_bizStep: 'https://ref.gs1.org/cbv/BizStep-packing' }, ['2']],
    ['EQ_disposition', { EQ_disposition: 'in_transit' }, ['3', '6', '7']],
    ['EQ_persistentDisposition_set', { EQ_persistentDisposition_set: 'completeness_verified' }, ['1']],
    ['EQ_readPoint (URN)', { EQ_readPoint: sgln('00003') }, ['3', '6']],
    ['WD_readPoint', { WD_readPoint: sgln('00006') }, ['7']],
    [
      'EQ_bizLocation (Digital Link of a URN-captured location)',
      { EQ_bizLocation: 'https://id.gs1.org/414/0614141000012' },
      ['1', '2'],
    ],
    ['WD_bizLocation', { WD_bizLocation: 'https://id.gs1.org/414/0614141000012' }, ['1', '2']],
    ['EQ_transformationID', { EQ_transformationID: 'urn:epc:id:gdti:0614141.00001.1234' }, ['4']],
    ['MATCH_epc', { MATCH_epc: sgtin(1) }, ['1', '2']],
    ['MATCH_parentID', { MATCH_parentID: sscc(1) }, ['2']],
    ['MATCH_inputEPC', { MATCH_inputEPC: sgtin(3) }, ['4']],
    [
      'MATCH_outputEPC (Digital Link)',
      { MATCH_outputEPC: 'https://id.gs1.org/01/10614141073464/21/4' },
      ['4'],
    ],
    ['MATCH_anyEPC', { MATCH_anyEPC: sscc(1) }, ['2', '3', '6', '7']],
    ['MATCH_anyEPC (EPC pattern)', { MATCH_anyEPC: 'urn:epc:idpat:sgtin:0614141.107346.*' }, ['1', '2', '4']],
    ['MATCH_epcClass', { MATCH_epcClass: lgtin('LOT7', '107347') }, ['5']],
    ['MATCH_inputEPCClass', { MATCH_inputEPCClass: lgtin('RAW1') }, ['4']],
    ['MATCH_outputEPCClass', { MATCH_outputEPCClass: lgtin('LOT7', '107347') }, ['4']],
    ['MATCH_anyEPCClass', { MATCH_anyEPCClass: lgtin('LOT7', '107347') }, ['4', '5']],
    ['EQ_quantity', { EQ_quantity: '40' }, ['4']],
    ['GT_quantity / LT_quantity', { GT_quantity: '12', LT_quantity: '41' }, ['4']],
    ['GE_quantity / LE_quantity', { GE_quantity: '12', LE_quantity: '12' }, ['4', '5']],
    ['EQ_quantity_<uom>', { EQ_quantity_KGM: '40' }, ['4']],
    ['EQ_eventID', { EQ_eventID: eventId('3') }, ['3', '6']],
    ['EQ_eventID (pipe-delimited)', { EQ_eventID: `${eventId('1')}|${eventId('7')}` }, ['1', '7']],
    ['EXISTS_errorDeclaration', { EXISTS_errorDeclaration: 'true' }, ['6']],
    ['GE_errorDeclarationTime', { GE_errorDeclarationTime: '2024-03-06T07:00:00Z' }, ['6']],
    ['LT_errorDeclarationTime', { LT_errorDeclarationTime: '2024-03-06T07:00:00Z' }, []],
    ['EQ_errorReason', { EQ_errorReason: 'incorrect_data' }, ['6']],
    ['EQ_correctiveEventID', { EQ_correctiveEventID: eventId('7') }, ['6']],
    ['GE_startTime', { GE_startTime: '2024-03-05T06:00:00Z' }, ['5']],
    ['LT_endTime (exclusive)', { LT_endTime: '2024-03-05T07:00:00Z' }, []],
    ['EQ_type', { EQ_type: 'Temperature' }, ['5']],
    ['EQ_deviceID', { EQ_deviceID: 'urn:epc:id:giai:4000001.111' }, ['5']],
    ['EQ_bizRules', { EQ_bizRules: 'https://example.com/rules/cold-chain' }, ['5']],
    ['EQ_stringValue', { EQ_stringValue: 'dry' }, ['5']],
    ['GE_value_<uom> (converted units)', { GE_value_KEL: '294' }, ['5']],
    ['EXISTS_sensorElementList', { EXISTS_sensorElementList: 'true' }, ['5']],
    [
      'EQ_bizTransaction_<type>',
      { EQ_bizTransaction_po: 'urn:epcglobal:cbv:bt:0614141000005:PO1' },
      ['3', '6'],
    ],
    ['EQ_source_<type>', { EQ_source_owning_party: 'urn:epc:id:pgln:0614141.00000' }, ['3', '6']],
    [
      'EQ_destination_<type> (Digital Link)',
      { EQ_destination_owning_party: 'https://id.gs1.org/417/0614141000012' },
      ['3', '6'],
    ],
    ['EQ_<extension field>', { 'EQ_example:batchNote': 'first run' }, ['1']],
  ];

  it.each(families)('filters by %s', async (_family, params, expected) => {
    expect((await namesFound(params)).sort()).toEqual([...expected].sort());
  });

  it('combines parameters with AND', async () => {
    expect(await namesFound({ EQ_bizStep: 'shipping', EQ_readPoint: sgln('00006') })).toEqual(['7']);
  });

  it('orders by eventTime ascending or descending, and eventCountLimit keeps the first N', async () => {
    expect(await namesFound({ orderBy: 'eventTime', orderDirection: 'ASC' })).toEqual([
      '1',
      '2',
      '3',
      '6',
      '7',
      '4',
      '5',
    ]);
    expect(await namesFound({ orderBy: 'eventTime', orderDirection: 'DESC', eventCountLimit: '2' })).toEqual([
      '5',
      '4',
    ]);
  });

  it('answers 413 QueryTooLargeException when more than maxEventCount events match', async () => {
    const response = await get(service.app, query({ maxEventCount: '6' }));

    expect(expectProblem(response, 413, 'QueryTooLargeException').detail).toMatch(/maxEventCount=6/);
    expect(await namesFound({ maxEventCount: '7' })).toHaveLength(7);
  });

  it('refuses an unknown parameter with 400 QueryParameterException naming it', async () => {
    const response = await get(service.app, query({ GE_eventDate: '2024-03-01T00:00:00Z' }));

    const problem = expectProblem(response, 400, 'QueryParameterException');
    expect(problem['parameter']).toBe('GE_eventDate');
    expect(problem.detail).toContain('GE_eventDate');
  });

  it.each([
    ['GE_eventTime', 'yesterday'],
    ['EQ_action', 'MOVE'],
    ['perPage', '0'],
    ['orderDirection', 'UP'],
    ['MATCH_epc', 'not a uri'],
  ])('refuses %s=%s with 400 QueryParameterException naming the parameter', async (name, value) => {
    const problem = expectProblem(
      await get(service.app, query({ [name]: value })),
      400,
      'QueryParameterException',
    );

    expect(problem['parameter']).toBe(name);
  });

  it('refuses a parameter given twice with 400, since several values travel pipe-delimited', async () => {
    const response = await get(service.app, '/events?EQ_action=ADD&EQ_action=DELETE');

    expect(expectProblem(response, 400, 'QueryParameterException')['parameter']).toBe('EQ_action');
  });
});

describe('GET /events pagination', () => {
  it('pages with perPage, a Link rel="next" and GS1-Next-Page-Token-Expires; following Link visits every event once', async () => {
    const seen: string[] = [];
    let url: string | null = '/events?perPage=2';
    let pages = 0;
    while (url !== null) {
      const response = await get(service.app, url);
      expect(response.statusCode, response.body).toBe(200);
      const events = eventList(response);
      expect(events.length).toBeLessThanOrEqual(2);
      seen.push(...events.map(storyName));
      url = nextLink(response);
      if (url !== null) {
        expect(url).toMatch(/^\/events\?.*nextPageToken=/);
        const expires = Date.parse(String(response.headers['gs1-next-page-token-expires']));
        expect(expires).toBeGreaterThan(Date.now());
      } else {
        expect(response.headers['gs1-next-page-token-expires']).toBeUndefined();
      }
      pages++;
    }

    expect(pages).toBe(4);
    expect(seen.sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('keeps the other parameters in the Link URL', async () => {
    const first = await get(service.app, query({ perPage: '1', EQ_disposition: 'in_transit' }));
    const next = nextLink(first);
    expect(next).not.toBeNull();
    expect(new URLSearchParams(next!.split('?')[1]).get('EQ_disposition')).toBe('in_transit');

    const names = [...eventList(first).map(storyName)];
    for (let url: string | null = next; url !== null;) {
      const page = await get(service.app, url);
      names.push(...eventList(page).map(storyName));
      url = nextLink(page);
    }
    expect(names.sort()).toEqual(['3', '6', '7']);
  });

  it('refuses a tampered nextPageToken with 400 QueryParameterException', async () => {
    const next = nextLink(await get(service.app, '/events?perPage=2'))!;
    const token = new URLSearchParams(next.split('?')[1]).get('nextPageToken')!;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;

    const response = await get(service.app, query({ perPage: '2', nextPageToken: tampered }));

    const problem = expectProblem(response, 400, 'QueryParameterException');
    expect(problem['parameter']).toBe('nextPageToken');
    expect(problem.detail).toMatch(/^nextPageToken is not a page token this server issued/);
  });

  it('answers DELETE /nextPageToken/{token} with 501: tokens cannot be invalidated and expire by themselves', async () => {
    const next = nextLink(await get(service.app, '/events?perPage=2'))!;
    const token = new URLSearchParams(next.split('?')[1]).get('nextPageToken')!;

    const response = await service.app.inject({
      method: 'DELETE',
      url: `/nextPageToken/${encodeURIComponent(token)}`,
    });

    expect(response.statusCode, response.body).toBe(501);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json\b/);
    expect(response.json()).toMatchObject({
      type: 'epcisException:ImplementationException',
      status: 501,
      detail: expect.stringContaining('GS1-Next-Page-Token-Expires'),
    });
    expect((await get(service.app, next)).statusCode).toBe(200);
  });

  it('refuses a nextPageToken reused with other query parameters', async () => {
    const next = nextLink(await get(service.app, '/events?perPage=2'))!;
    const token = new URLSearchParams(next.split('?')[1]).get('nextPageToken')!;

    const response = await get(service.app, query({ perPage: '2', EQ_action: 'ADD', nextPageToken: token }));

    expectProblem(response, 400, 'QueryParameterException');
  });
});

describe('GS1-EPC-Format', () => {
  const packed = (headers: Record<string, string> = {}) =>
    get(service.app, query({ EQ_eventID: eventId('2') }), headers).then((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return { response: r, event: eventList(r)[0]! };
    });

  it.each<Record<string, string>>([{}, { 'GS1-EPC-Format': 'Always_GS1_Digital_Link' }])(
    'returns identifiers captured as URNs as GS1 Digital Links by default (%o)',
    async (headers) => {
      const { response, event } = await packed(headers);

      expect(response.headers['gs1-epc-format']).toBe('Always_GS1_Digital_Link');
      expect(event['parentID']).toBe('https://id.gs1.org/00/006141410000000012');
      expect(event['childEPCs']).toEqual([
        'https://id.gs1.org/01/10614141073464/21/1',
        'https://id.gs1.org/01/10614141073464/21/2',
      ]);
      expect(event['readPoint']).toEqual({ id: 'https://id.gs1.org/414/0614141000029' });
      expect(event['bizLocation']).toEqual({ id: 'https://id.gs1.org/414/0614141000012' });
    },
  );

  it('returns quantity classes, sources and destinations as Digital Links too', async () => {
    const [transformed] = eventList(await get(service.app, query({ EQ_eventID: eventId('4') })));
    const [shipped] = eventList(await get(service.app, query({ EQ_eventID: eventId('7') })));
    const [withParties] = eventList(await get(service.app, query({ EQ_eventID: eventId('3') })));

    expect(transformed?.['inputQuantityList']).toEqual([
      { epcClass: 'https://id.gs1.org/01/10614141073464/10/RAW1', quantity: 40, uom: 'KGM' },
    ]);
    expect(shipped?.['epcList']).toEqual(['https://id.gs1.org/00/006141410000000012']);
    expect(withParties?.['sourceList']).toEqual([
      { type: 'owning_party', source: 'https://id.gs1.org/417/0614141000005' },
    ]);
  });

  it.each(['Never_Translates', 'No_Preference'])(
    'returns every event exactly as captured with %s',
    async (format) => {
      const { response, event } = await packed({ 'GS1-EPC-Format': format });

      expect(response.headers['gs1-epc-format']).toBe(format);
      expect(event).toEqual({ ...STORY_EVENTS[2], recordTime: expect.any(String) });
      expect(Date.parse(String(event['recordTime']))).toBeGreaterThanOrEqual(capturedAtMs);
    },
  );

  it('refuses Always_EPC_URN with 406 NotAcceptableException', async () => {
    expectProblem(
      await get(service.app, '/events', { 'GS1-EPC-Format': 'Always_EPC_URN' }),
      406,
      'NotAcceptableException',
    );
  });
});

describe('GET /events content negotiation and limits', () => {
  it.each(['application/json', 'application/ld+json', '*/*', 'application/json, text/html;q=0.5'])(
    'answers Accept: %s',
    async (accept) => {
      expect((await get(service.app, '/events', { accept })).statusCode).toBe(200);
    },
  );

  it.each(['application/yaml', 'text/html'])(
    'refuses Accept: %s with 406 NotAcceptableException',
    async (accept) => {
      expectProblem(await get(service.app, '/events', { accept }), 406, 'NotAcceptableException');
    },
  );

  it('refuses a URL longer than the limit with 414 URITooLongException', async () => {
    const long = query({ EQ_eventID: Array.from({ length: 60 }, (_, i) => eventId(String(i))).join('|') });
    expect(long.length).toBeGreaterThan(MAX_URL_LENGTH);

    expect(expectProblem(await get(service.app, long), 414, 'URITooLongException').detail).toContain(
      String(MAX_URL_LENGTH),
    );
  });

  it('answers a URL just within the limit', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => eventId(String(i))).join('|');
    const url = query({ EQ_eventID: ids });
    expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);

    expect((await get(service.app, url)).statusCode).toBe(200);
  });

  it('refuses an over-long resource path with 414 URITooLongException', async () => {
    const response = await get(
      service.app,
      `/epcs/${encodeURIComponent(`urn:epc:id:giai:4000001.${'9'.repeat(MAX_URL_LENGTH)}`)}/events`,
    );

    expectProblem(response, 414, 'URITooLongException');
  });
});

describe('QUERY_PAGE_MAX_BYTES: every event page is bounded in bytes', () => {
  const KiB = 1024;
  const EVENTS = 12;
  const T0 = Date.UTC(2026, 4, 1);
  let bounded: ServiceApp;
  // Each event carries a ~3 KiB note: two of them fit an 8 KiB page, a third does not.
  beforeAll(async () => {
    bounded = await buildServiceApp({ config: { queryPageMaxBytes: 8 * KiB } });
    const events = Array.from({ length: EVENTS }, (_, i) => {
      const event = objectEvent(new Date(T0 + i * 60_000).toISOString(), 'OBSERVE', [sgtin(700 + i)], {
        bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
      });
      event['example:note'] = 'x'.repeat(3 * KiB);
      return event;
    });
    const document = {
      ...epcisDocument(events),
      '@context': [EPCIS_CONTEXT, { example: 'https://ns.example.com/epcis/' }],
    };
    const captured = await post(bounded.app, '/capture', document);
    expect(captured.statusCode, captured.body).toBe(202);
    const named = { name: 'shipped', query: { EQ_bizStep: ['shipping'] } };
    expect((await post(bounded.app, '/queries', named)).statusCode).toBe(201);
  });
  afterAll(() => bounded.close());

  /** Follows the Link headers from `url`; the EPC of every event, page by page. */
  async function pagesFrom(url: string): Promise<string[][]> {
    const pages: string[][] = [];
    for (let next: string | null = url; next !== null;) {
      const response = await get(bounded.app, next);
      expect(response.statusCode, response.body).toBe(200);
      pages.push(eventList(response).map((event) => String((event['epcList'] as string[])[0])));
      next = nextLink(response);
    }
    return pages;
  }

  const inOrder = Array.from(
    { length: EVENTS },
    (_, i) => `https://id.gs1.org/01/10614141073464/21/${700 + i}`,
  );

  it.each([
    ['GET /events', '/events?perPage=1000'],
    ["a resource view's /events", '/bizSteps/shipping/events?perPage=1000'],
    ['GET /queries/{name}/events', '/queries/shipped/events?perPage=1000'],
  ])(
    '%s ends a page early at the byte budget with a Link to the rest, and the pages hold every event once, in order',
    async (_name, url) => {
      const pages = await pagesFrom(url);

      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 2, 2]);
      expect(pages.flat()).toEqual(inOrder);
    },
  );

  it('answers a repeated page from the cache with the same events and a Link to the same rest', async () => {
    const url = '/events?perPage=1000&GE_eventTime=2026-05-01T00:03:00.000Z';
    const hits = async () =>
      Number(
        (await bounded.metrics.registry.getSingleMetricAsString('edgetrace_query_cache_hits_total'))
          .split('\n')
          .find((line) => line.startsWith('edgetrace_query_cache_hits_total'))
          ?.split(' ')[1] ?? Number.NaN,
      );
    const first = await get(bounded.app, url);
    const before = await hits();

    const second = await get(bounded.app, url);

    expect(await hits()).toBe(before + 1);
    expect(eventList(second)).toEqual(eventList(first));
    expect(nextLink(second)).not.toBeNull();
    expect(await pagesFrom(nextLink(second)!)).toEqual(await pagesFrom(nextLink(first)!));
  });
});
