// Every way a request can fail, in one table: each answer is an RFC 7807 problem
// (application/problem+json) whose type is one of the EPCIS exceptions, with the status of
// EPCIS.md §1.7, including the failures the HTTP framework itself detects before any route runs.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareEvent, epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, JSON_LD, post, type ServiceApp } from '../../helpers/service-app.js';
import { expectProblem } from './helpers/expectations.js';

const LIMIT_BYTES = 8192;
const MAX_URL_LENGTH = 512;

let service: ServiceApp;
beforeAll(async () => {
  service = await buildServiceApp({
    config: { captureLimitEvents: 2, captureLimitBytes: LIMIT_BYTES, maxUrlLength: MAX_URL_LENGTH },
  });
  const event = bareEvent({
    ...objectEvent('2024-05-01T10:00:00Z', 'OBSERVE', [sgtin(1)]),
    eventID: 'urn:uuid:e0e0e0e0-0000-4000-8000-000000000001',
  });
  expect((await post(service.app, '/events', event)).statusCode).toBe(201);
});
afterAll(() => service.close());

const event = (serial: number) => objectEvent('2024-05-01T10:00:00Z', 'OBSERVE', [sgtin(serial)]);
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  payload: JSON.stringify(body),
  headers: { 'content-type': JSON_LD, ...headers },
});

const failures: [string, InjectOptions, number, string][] = [
  [
    'an invalid document',
    { method: 'POST', url: '/capture', ...json(epcisDocument([{ ...event(1), action: 'X' }])) },
    400,
    'ValidationException',
  ],
  [
    'malformed JSON',
    { method: 'POST', url: '/capture', payload: '{"type":', headers: { 'content-type': JSON_LD } },
    400,
    'ValidationException',
  ],
  [
    'an unknown GS1-Capture-Error-Behaviour',
    {
      method: 'POST',
      url: '/capture',
      ...json(epcisDocument([event(1)]), { 'GS1-Capture-Error-Behaviour': 'x' }),
    },
    400,
    'ValidationException',
  ],
  [
    'a document sent to POST /events',
    { method: 'POST', url: '/events', ...json(epcisDocument([event(2)])) },
    400,
    'ValidationException',
  ],
  [
    'an unknown query parameter',
    { method: 'GET', url: '/events?EQ_color=red' },
    400,
    'QueryParameterException',
  ],
  [
    'an ill-typed query parameter',
    { method: 'GET', url: '/events?LT_recordTime=soon' },
    400,
    'QueryParameterException',
  ],
  [
    'a malformed percent-encoding in the path',
    { method: 'GET', url: '/events/%E0%A4%A' },
    400,
    'ValidationException',
  ],
  ['an unknown capture job', { method: 'GET', url: '/capture/nope' }, 404, 'NoSuchResourceException'],
  ['an unknown event', { method: 'GET', url: '/events/urn%3Auuid%3Anope' }, 404, 'NoSuchResourceException'],
  ['an unknown route', { method: 'GET', url: '/subscriptions' }, 404, 'NoSuchResourceException'],
  [
    'Accept: text/html',
    { method: 'GET', url: '/events', headers: { accept: 'text/html' } },
    406,
    'NotAcceptableException',
  ],
  [
    'GS1-EPC-Format: Always_EPC_URN',
    { method: 'GET', url: '/events', headers: { 'GS1-EPC-Format': 'Always_EPC_URN' } },
    406,
    'NotAcceptableException',
  ],
  [
    'a true duplicate on POST /events',
    {
      method: 'POST',
      url: '/events',
      ...json(bareEvent({ ...event(1), eventID: 'urn:uuid:e0e0e0e0-0000-4000-8000-000000000001' })),
    },
    409,
    'ResourceAlreadyExistsException',
  ],
  [
    'more events than the capture limit',
    { method: 'POST', url: '/capture', ...json(epcisDocument([event(1), event(2), event(3)])) },
    413,
    'CaptureLimitExceededException',
  ],
  [
    'a body over the file size limit',
    {
      method: 'POST',
      url: '/capture',
      payload: ' '.repeat(LIMIT_BYTES + 1),
      headers: { 'content-type': JSON_LD },
    },
    413,
    'CaptureLimitExceededException',
  ],
  [
    'a query URL over the length limit',
    { method: 'GET', url: `/events?EQ_bizStep=${'shipping|'.repeat(60)}shipping` },
    414,
    'URITooLongException',
  ],
  [
    'a path segment over the length limit',
    { method: 'GET', url: `/epcs/${'9'.repeat(MAX_URL_LENGTH + 1)}/events` },
    414,
    'URITooLongException',
  ],
  [
    'a text/plain body',
    { method: 'POST', url: '/capture', payload: '{}', headers: { 'content-type': 'text/plain' } },
    415,
    'UnsupportedMediaTypeException',
  ],
  [
    'a body without content type',
    { method: 'POST', url: '/events', payload: '{}' },
    415,
    'UnsupportedMediaTypeException',
  ],
  [
    'a plain body declared Content-Encoding: gzip',
    { method: 'POST', url: '/capture', ...json(epcisDocument([event(1)]), { 'content-encoding': 'gzip' }) },
    415,
    'UnsupportedMediaTypeException',
  ],
  [
    'a JSON body in charset=iso-8859-1',
    {
      method: 'POST',
      url: '/capture',
      payload: JSON.stringify(epcisDocument([event(1)])),
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    },
    415,
    'UnsupportedMediaTypeException',
  ],
];

describe('error responses', () => {
  it.each(failures)(
    'answers %s with an application/problem+json epcisException',
    async (_what, request, status, exception) => {
      expectProblem(await service.app.inject(request), status, exception);
    },
  );

  it('reads only identity-encoded UTF-8 bodies: refuses deflate and utf-16, accepts identity and "UTF-8"', async () => {
    const capture = (headers: Record<string, string>) =>
      service.app.inject({
        method: 'POST',
        url: '/capture',
        payload: JSON.stringify(epcisDocument([event(4)])),
        headers: { 'content-type': 'application/json', ...headers },
      });

    expectProblem(await capture({ 'content-encoding': 'deflate' }), 415, 'UnsupportedMediaTypeException');
    expectProblem(
      await capture({ 'content-type': 'application/ld+json;charset=utf-16' }),
      415,
      'UnsupportedMediaTypeException',
    );
    const accepted = await capture({
      'content-type': 'application/json; charset="UTF-8"',
      'content-encoding': 'identity',
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
  });

  it('answers a query matching more than maxEventCount with 413 QueryTooLargeException', async () => {
    await post(service.app, '/events', bareEvent(event(9)));

    expectProblem(
      await service.app.inject({ method: 'GET', url: '/events?maxEventCount=1' }),
      413,
      'QueryTooLargeException',
    );
  });
});

describe('perPage', () => {
  const pagedRoutes = [
    '/capture?',
    '/events?',
    '/epcs?',
    '/bizSteps?',
    '/queries?',
    '/trace/urn:epc:id:sgtin:0614141.107346.2018?direction=forward&',
  ];

  it.each(
    pagedRoutes.flatMap((route) =>
      ['1e400', '1e2', '30.0', '0', '-1', '', '99999999999999999999'].map((value) => [route, value]),
    ),
  )('answers %sperPage=%s with 400 QueryParameterException naming perPage', async (route, value) => {
    const response = await service.app.inject({ method: 'GET', url: `${route}perPage=${value}` });

    expect(expectProblem(response, 400, 'QueryParameterException').detail).toMatch(/perPage/);
  });

  it.each(pagedRoutes.filter((route) => route !== '/events?'))(
    'answers %sperPage given twice with 400 naming perPage',
    async (route) => {
      const response = await service.app.inject({ method: 'GET', url: `${route}perPage=1&perPage=2` });

      expect(expectProblem(response, 400, 'QueryParameterException')).toMatchObject({ parameter: 'perPage' });
    },
  );

  it.each(['/capture', '/epcs', '/queries'])(
    'serves %s?perPage=100000 a page of at most its ceiling instead of refusing it',
    async (route) => {
      const response = await service.app.inject({ method: 'GET', url: `${route}?perPage=100000` });

      expect(response.statusCode, response.body).toBe(200);
    },
  );
});
