// Discovery and the resource views of the query interface: GET /, the value lists (/epcs, /bizSteps
// …), /{resource}/{value} and /{resource}/{value}/events, OPTIONS and unknown routes (EPCIS.md §1.6,
// https://github.com/gs1/EPCIS/issues/352).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPCIS_CONTEXT, sgln, sgtin, sscc } from '../../helpers/epcis-builders.js';
import {
  buildServiceApp,
  eventList,
  get,
  nextLink,
  post,
  type ServiceApp,
} from '../../helpers/service-app.js';
import { expectProblem } from './helpers/expectations.js';
import { storyDeclaration, storyDocument, storyName } from './helpers/story.js';

let service: ServiceApp;
beforeAll(async () => {
  service = await buildServiceApp();
  expect((await post(service.app, '/capture', storyDocument())).statusCode).toBe(202);
  expect((await post(service.app, '/events', storyDeclaration())).statusCode).toBe(201);
});
afterAll(() => service.close());

const segment = encodeURIComponent;

describe('GET /', () => {
  it('lists the top-level resources as a Collection', async () => {
    const response = await get(service.app, '/');

    expect(response.statusCode).toBe(200);
    const body = response.json<{ '@context': string; type: string; member: string[] }>();
    expect(body['@context']).toBe(EPCIS_CONTEXT);
    expect(body.type).toBe('Collection');
    expect(body.member).toEqual(
      expect.arrayContaining([
        'capture',
        'events',
        'eventTypes',
        'epcs',
        'bizSteps',
        'bizLocations',
        'readPoints',
        'dispositions',
      ]),
    );
  });
});

describe('resource value lists', () => {
  const lists: [string, string[]][] = [
    ['eventTypes', ['AggregationEvent', 'ObjectEvent', 'TransformationEvent']],
    [
      'bizSteps',
      [
        'https://ref.gs1.org/cbv/BizStep-commissioning',
        'https://ref.gs1.org/cbv/BizStep-packing',
        'https://ref.gs1.org/cbv/BizStep-sensor_reporting',
        'https://ref.gs1.org/cbv/BizStep-shipping',
      ],
    ],
    ['bizLocations', ['https://id.gs1.org/414/0614141000012']],
    [
      'readPoints',
      ['00001', '00002', '00003', '00004', '00005', '00006'].map((location) => {
        const gln = `0614141${location}`;
        return `https://id.gs1.org/414/${gln}${gs1CheckDigit(gln)}`;
      }),
    ],
    [
      'dispositions',
      [
        'https://ref.gs1.org/cbv/Disp-active',
        'https://ref.gs1.org/cbv/Disp-in_progress',
        'https://ref.gs1.org/cbv/Disp-in_transit',
      ],
    ],
  ];

  it.each(lists)('GET /%s lists the known values as a Collection', async (resource, values) => {
    const response = await get(service.app, `/${resource}`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ '@context': EPCIS_CONTEXT, type: 'Collection', member: values });
  });

  it('GET /epcs lists every identifier once, as canonical Digital Links, page by page', async () => {
    const members: string[] = [];
    let url: string | null = '/epcs?perPage=3';
    while (url !== null) {
      const response = await get(service.app, url);
      expect(response.statusCode).toBe(200);
      members.push(...response.json<{ member: string[] }>().member);
      url = nextLink(response);
    }

    expect(members).toContain('https://id.gs1.org/01/10614141073464/21/1');
    expect(members).toContain('https://id.gs1.org/00/006141410000000012');
    expect(new Set(members).size).toBe(members.length);
    for (const member of members) expect(member).toMatch(/^https:\/\/id\.gs1\.org\//);
  });
});

describe('GET /{resource}/{value}', () => {
  it.each([
    ['eventTypes', 'ObjectEvent'],
    ['epcs', sgtin(1)],
    ['bizSteps', 'shipping'],
    ['bizLocations', sgln('00001')],
    ['readPoints', 'https://id.gs1.org/414/0614141000029'],
    ['dispositions', 'in_transit'],
  ])('GET /%s/%s names its events sub-resource', async (resource, value) => {
    const response = await get(service.app, `/${resource}/${segment(value)}`);

    expect(response.statusCode).toBe(200);
    // An EPC also has the tracking API's state and contents (TRACKING_ENABLED is on by default).
    const member = resource === 'epcs' ? ['events', 'state', 'contents'] : ['events'];
    expect(response.json()).toEqual({ '@context': EPCIS_CONTEXT, type: 'Collection', member });
  });
});

describe('GET /{resource}/{value}/events', () => {
  const views: [string, string, string[]][] = [
    ['eventTypes', 'AggregationEvent', ['2']],
    ['epcs', sscc(1), ['2', '3', '6', '7']],
    ['bizSteps', 'packing', ['2']],
    ['bizSteps', 'https://ref.gs1.org/cbv/BizStep-commissioning', ['1', '4']],
    ['bizLocations', 'https://id.gs1.org/414/0614141000012', ['1', '2']],
    ['readPoints', sgln('00003'), ['3', '6']],
    ['dispositions', 'in_transit', ['3', '6', '7']],
  ];

  it.each(views)(
    'GET /%s/%s/events returns the events with that value',
    async (resource, value, expected) => {
      const response = await get(service.app, `/${resource}/${segment(value)}/events`);

      expect(response.statusCode, response.body).toBe(200);
      expect(eventList(response).map(storyName).sort()).toEqual(expected);
    },
  );

  it('matches an item captured as an EPC URN by its URL-encoded Digital Link', async () => {
    const lowerCase = '/epcs/https:%2f%2fid.gs1.org%2f01%2f10614141073464%2f21%2f1/events';
    const upperCase = `/epcs/${segment('https://id.gs1.org/01/10614141073464/21/1')}/events`;

    for (const url of [lowerCase, upperCase]) {
      const response = await get(service.app, url);
      expect(response.statusCode, response.body).toBe(200);
      expect(eventList(response).map(storyName).sort()).toEqual(['1', '2']);
    }
  });

  it('accepts the query parameters of GET /events, paging through Link', async () => {
    const url = `/epcs/${segment(sscc(1))}/events?perPage=1&EQ_bizStep=shipping`;
    const names: string[] = [];
    for (let next: string | null = url; next !== null;) {
      const response = await get(service.app, next);
      expect(response.statusCode, response.body).toBe(200);
      names.push(...eventList(response).map(storyName));
      next = nextLink(response);
    }

    expect(names.sort()).toEqual(['3', '6', '7']);
  });

  it('refuses an unknown query parameter with 400 QueryParameterException', async () => {
    const response = await get(service.app, `/bizSteps/shipping/events?EQ_bizstep=packing`);

    expect(expectProblem(response, 400, 'QueryParameterException')['parameter']).toBe('EQ_bizstep');
  });

  it('refuses a value that is not an identifier with 400 QueryParameterException', async () => {
    expectProblem(await get(service.app, '/epcs/not-an-epc/events'), 400, 'QueryParameterException');
  });
});

describe('OPTIONS', () => {
  it.each([
    ['/', 'OPTIONS, GET, HEAD'],
    ['/events', 'OPTIONS, GET, HEAD, POST'],
    ['/events/x', 'OPTIONS, GET, HEAD'],
    ['/epcs', 'OPTIONS, GET, HEAD'],
    ['/epcs/x/events', 'OPTIONS, GET, HEAD'],
    ['/capture', 'OPTIONS, GET, HEAD, POST'],
    ['/capture/x', 'OPTIONS, GET, HEAD'],
    ['/queries', 'OPTIONS, GET, HEAD, POST'],
    ['/queries/q', 'OPTIONS, GET, HEAD, DELETE'],
    ['/queries/q/subscriptions', 'OPTIONS, GET, HEAD, POST'],
    ['/queries/q/subscriptions/s', 'OPTIONS, GET, HEAD, DELETE'],
    ['/nextPageToken/t', 'OPTIONS, DELETE'],
  ])('OPTIONS %s answers 204 with the GS1 version headers and Allow: %s', async (url, allow) => {
    const response = await service.app.inject({ method: 'OPTIONS', url });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers).toMatchObject({
      'gs1-epcis-version': '2.0.0',
      'gs1-epcis-min': '2.0.0',
      'gs1-epcis-max': '2.0.0',
      'gs1-cbv-version': '2.0.0',
      'gs1-cbv-min': '2.0.0',
      'gs1-cbv-max': '2.0.0',
      'gs1-vendor-version': expect.any(String),
    });
    expect(response.headers['allow']).toBe(allow);
    expect(response.headers['gs1-extensions']).toBeDefined();
  });

  it.each(['/subscriptions', '/events/x/y', '/capture/x/y'])(
    'OPTIONS %s, a path no resource serves, answers 404 NoSuchResourceException',
    async (url) => {
      const response = await service.app.inject({ method: 'OPTIONS', url });

      expect(expectProblem(response, 404, 'NoSuchResourceException').detail).toContain(url);
    },
  );
});

describe('OPTIONS follows the routes the service registers', () => {
  it('answers 404 for the tracking resources when TRACKING_ENABLED is off, 204 when on', async () => {
    const untracked = await buildServiceApp({ config: { trackingEnabled: false } });
    try {
      const url = `/epcs/${segment(sgtin(1))}/state`;

      expectProblem(await untracked.app.inject({ method: 'OPTIONS', url }), 404, 'NoSuchResourceException');
      const tracked = await service.app.inject({ method: 'OPTIONS', url });
      expect(tracked.statusCode).toBe(204);
      expect(tracked.headers['allow']).toBe('OPTIONS, GET, HEAD');
    } finally {
      await untracked.close();
    }
  });
});

describe('methods a resource does not support', () => {
  it.each([
    ['DELETE', '/events', 'OPTIONS, GET, HEAD, POST'],
    ['PUT', '/capture', 'OPTIONS, GET, HEAD, POST'],
    ['PATCH', '/events/x', 'OPTIONS, GET, HEAD'],
    ['POST', '/epcs/x', 'OPTIONS, GET, HEAD'],
    ['PUT', '/queries/q', 'OPTIONS, GET, HEAD, DELETE'],
    ['GET', '/nextPageToken/t', 'OPTIONS, DELETE'],
  ] as const)('%s %s answers 405 with Allow: %s', async (method, url, allow) => {
    const response = await service.app.inject({ method, url });

    const problem = expectProblem(response, 405, 'MethodNotAllowedException');
    expect(response.headers['allow']).toBe(allow);
    expect(problem.detail).toContain(method);
  });
});

describe('unknown resources', () => {
  it.each([
    ['GET', '/subscriptions'],
    ['GET', '/events/x/y'],
    ['DELETE', '/capture/x/y'],
  ] as const)('%s %s answers 404 NoSuchResourceException', async (method, url) => {
    const response = await service.app.inject({ method, url });

    expect(expectProblem(response, 404, 'NoSuchResourceException').detail).toContain(url);
  });
});

/** The GS1 mod-10 check digit of a key's digits. */
function gs1CheckDigit(digits: string): number {
  const sum = [...digits]
    .reverse()
    .reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}
