// The EPCIS 2.0 REST binding against GS1's openapi.json: the checker itself (it must catch what it
// claims to), and one walk through the service that reaches every operation the document defines.
// Every response of that walk, like every response of every in-process HTTP test, is checked by the
// wrapper in tests/helpers/service-app.ts; GS1's own mistakes are listed in openapi-deviations.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareEvent, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { type Exchange, OpenApiContract, openApiContract } from '../../helpers/openapi-contract.js';
import { loadOpenApiDocument } from '../../helpers/openapi-document.js';
import { buildServiceApp, get, nextLink, post, type ServiceApp } from '../../helpers/service-app.js';
import { storyDocument } from './helpers/story.js';

const PROBLEM = { 'content-type': 'application/problem+json' };
const exchange = (
  partial: Partial<Exchange> & Pick<Exchange, 'method' | 'url' | 'statusCode'>,
): Exchange => ({
  headers: {},
  body: '',
  ...partial,
});
const problemBody = (status: number, type: string) =>
  JSON.stringify({ type: `epcisException:${type}`, title: 'T', status, detail: 'd' });

describe('the OpenAPI contract check', () => {
  // Its own instance: these made-up exchanges must not count towards the coverage walk below.
  const contract = new OpenApiContract(loadOpenApiDocument());

  it('flags a status the operation does not declare', () => {
    const violations = contract.check(exchange({ method: 'GET', url: '/events', statusCode: 201 }));

    expect(violations).toEqual([expect.stringContaining('status 201 is not declared')]);
  });

  it('flags a collection answer without the @context its schema requires', () => {
    const body = JSON.stringify({ type: 'Collection', member: ['events'] });
    const headers = { 'content-type': 'application/json; charset=utf-8' };

    const violations = contract.check(
      exchange({ method: 'GET', url: '/eventTypes/ObjectEvent', statusCode: 200, headers, body }),
    );

    expect(violations).toEqual([expect.stringContaining("must have required property '@context'")]);
  });

  it('flags a content type the response does not declare', () => {
    const headers = { 'content-type': 'text/html' };
    const violations = contract.check(
      exchange({ method: 'GET', url: '/', statusCode: 200, headers, body: '<p>' }),
    );

    expect(violations).toEqual([expect.stringContaining('content type text/html is not declared')]);
  });

  it('flags a declared header whose value breaks its schema', () => {
    const headers = { 'gs1-epcis-capture-limit': '0', 'gs1-epc-format': 'Always_GS1_Digital_Link' };

    const violations = contract.check(
      exchange({ method: 'OPTIONS', url: '/capture', statusCode: 204, headers }),
    );

    expect(violations).toEqual([expect.stringContaining('header GS1-EPCIS-Capture-Limit: 0')]);
  });

  it('flags a body where the OpenAPI declares none, and a 201 without the event POST /events declares', () => {
    const options = exchange({ method: 'OPTIONS', url: '/events', statusCode: 204, body: '{}' });
    const created = exchange({ method: 'POST', url: '/events', statusCode: 201 });

    expect(contract.check(options)).toEqual(['a body was sent where the OpenAPI declares none']);
    expect(contract.check(created)).toEqual([expect.stringContaining('content type (none) is not declared')]);
  });

  it('requires a 405 for a method the binding does not define to be a problem carrying Allow', () => {
    const body = problemBody(405, 'MethodNotAllowedException');
    const withAllow = { ...PROBLEM, allow: 'OPTIONS, GET, HEAD, POST' };

    expect(
      contract.check(exchange({ method: 'PUT', url: '/capture', statusCode: 405, headers: withAllow, body })),
    ).toEqual([]);
    expect(
      contract.check(exchange({ method: 'PUT', url: '/capture', statusCode: 405, headers: PROBLEM, body })),
    ).toEqual(['a 405 must carry Allow']);
    expect(contract.check(exchange({ method: 'PUT', url: '/capture', statusCode: 200 }))).not.toEqual([]);
  });

  it('skips our own resources by the listed extension paths only; any other unknown path must answer a 404 problem', () => {
    const ok = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' };

    expect(contract.check(exchange({ method: 'GET', url: '/epcs/x/state', ...ok }))).toEqual([]);
    expect(contract.check(exchange({ method: 'GET', url: '/health', ...ok }))).toEqual([]);
    expect(contract.check(exchange({ method: 'GET', url: '/healthz', ...ok }))).not.toEqual([]);
    const missing = { statusCode: 404, headers: PROBLEM, body: problemBody(404, 'NoSuchResourceException') };
    expect(contract.check(exchange({ method: 'GET', url: '/healthz', ...missing }))).toEqual([]);
  });
});

describe('every operation of the OpenAPI', () => {
  let service: ServiceApp;
  beforeAll(async () => {
    service = await buildServiceApp();
  });
  afterAll(() => service.close());

  const inject = (method: 'GET' | 'DELETE' | 'OPTIONS', url: string) => service.app.inject({ method, url });
  const member = async (url: string): Promise<string> => {
    const response = await get(service.app, url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ member: string[] }>().member[0]!;
  };

  it('answers each one within its declared statuses, content types, headers and schemas', async () => {
    const captured = await post(service.app, '/capture', storyDocument());
    expect(captured.statusCode, captured.body).toBe(202);
    const captureJob = String(captured.headers['location']);
    const single = bareEvent(objectEvent('2024-06-01T10:00:00.000Z', 'OBSERVE', [sgtin(99)]));
    const created = await post(service.app, '/events', single);
    expect(created.statusCode, created.body).toBe(201);
    const eventUrl = String(created.headers['location']);
    expect((await get(service.app, '/capture')).statusCode).toBe(200);
    expect((await get(service.app, captureJob)).statusCode).toBe(200);
    expect((await get(service.app, eventUrl)).statusCode).toBe(200);
    expect((await get(service.app, '/')).statusCode).toBe(200);

    const firstPage = await get(service.app, '/events?perPage=1');
    expect(firstPage.statusCode).toBe(200);
    const token = new URLSearchParams(nextLink(firstPage)!.split('?')[1]).get('nextPageToken')!;
    expect((await inject('DELETE', `/nextPageToken/${encodeURIComponent(token)}`)).statusCode).toBe(501);

    const resources = ['eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions'];
    const urls = ['/', '/capture', captureJob, '/events', eventUrl, '/nextPageToken/t'];
    for (const resource of resources) {
      const value = encodeURIComponent(await member(`/${resource}`));
      expect((await get(service.app, `/${resource}/${value}`)).statusCode).toBe(200);
      expect((await get(service.app, `/${resource}/${value}/events`)).statusCode).toBe(200);
      urls.push(`/${resource}`, `/${resource}/${value}`, `/${resource}/${value}/events`);
    }

    const query = { name: 'shipped', query: { EQ_bizStep: ['shipping'] } };
    expect((await post(service.app, '/queries', query)).statusCode).toBe(201);
    expect((await get(service.app, '/queries')).statusCode).toBe(200);
    expect((await get(service.app, '/queries/shipped')).statusCode).toBe(200);
    expect((await get(service.app, '/queries/shipped/events')).statusCode).toBe(200);
    const subscription = { dest: 'https://93.184.215.14/never-called', schedule: { hour: '1', minute: '5' } };
    const subscribed = await post(service.app, '/queries/shipped/subscriptions', subscription);
    expect(subscribed.statusCode, subscribed.body).toBe(201);
    const subscriptionUrl = String(subscribed.headers['location']);
    expect((await get(service.app, '/queries/shipped/subscriptions')).statusCode).toBe(200);
    expect((await get(service.app, subscriptionUrl)).statusCode).toBe(200);
    urls.push(
      '/queries',
      '/queries/shipped',
      '/queries/shipped/events',
      '/queries/shipped/subscriptions',
      subscriptionUrl,
    );
    for (const url of urls) expect((await inject('OPTIONS', url)).statusCode, url).toBe(204);
    expect((await inject('DELETE', subscriptionUrl)).statusCode).toBe(204);
    expect((await inject('DELETE', '/queries/shipped')).statusCode).toBe(204);

    const contract = openApiContract();
    // GS1's 63 operations and the OPTIONS /nextPageToken/{token} the deviations add.
    expect(contract.operations).toHaveLength(64);
    expect(contract.operations.filter((operation) => !contract.exercised.has(operation))).toEqual([]);
  });
});
