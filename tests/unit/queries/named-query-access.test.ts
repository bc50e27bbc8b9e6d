// Who may do what with named queries and subscriptions when access control is on: defining,
// deleting and every subscription route need `admin`; reading definitions and results needs `query`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, type ServiceApp } from '../../helpers/service-app.js';
import { type KeyedService, serviceWithApiKeys } from '../auth/helpers/keyed-service.js';
import { expectProblem } from '../http/helpers/expectations.js';

let keyed: KeyedService;
let service: ServiceApp;

beforeAll(async () => {
  keyed = await serviceWithApiKeys([
    { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
    { id: 'operator', scopes: ['admin'], hash: 'sha256' },
  ]);
  service = keyed.service;
  const created = await post(
    service.app,
    '/queries',
    { name: 'guarded', query: { eventType: ['ObjectEvent'] } },
    as('operator'),
  );
  expect(created.statusCode, created.body).toBe(201);
});
afterAll(() => keyed.close());

const as = (id: string) => keyed.as(id);
// A public address: deliveries to loopback are refused unless the site allow-lists it.
const subscription = { dest: 'https://93.184.215.14/never-called', schedule: { hour: '1', minute: '5' } };

describe('named query access control', () => {
  it.each([
    ['GET', '/queries'],
    ['GET', '/queries/guarded'],
    ['GET', '/queries/guarded/events'],
  ] as const)('lets a query key %s %s', async (method, url) => {
    expect((await service.app.inject({ method, url, headers: as('dashboard') })).statusCode).toBe(200);
  });

  it.each([
    ['POST', '/queries', { name: 'byDashboard', query: {} }],
    ['DELETE', '/queries/guarded', undefined],
    ['GET', '/queries/guarded/subscriptions', undefined],
    ['POST', '/queries/guarded/subscriptions', subscription],
    ['GET', '/queries/guarded/subscriptions/some-id', undefined],
    ['DELETE', '/queries/guarded/subscriptions/some-id', undefined],
  ] as const)('answers a query key calling %s %s with 403 naming admin', async (method, url, body) => {
    const response = await service.app.inject({
      method,
      url,
      headers: { ...as('dashboard'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

    expect(expectProblem(response, 403, 'SecurityException').detail).toMatch(/admin/);
  });

  it('lets an admin key manage subscriptions', async () => {
    const created = await post(service.app, '/queries/guarded/subscriptions', subscription, as('operator'));
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<Record<string, unknown>>();
    expect(body).not.toHaveProperty('signatureToken');

    const listed = await service.app.inject({
      method: 'GET',
      url: '/queries/guarded/subscriptions',
      headers: as('operator'),
    });
    expect(listed.json()).toEqual([body]);
    const removed = await service.app.inject({
      method: 'DELETE',
      url: `/queries/guarded/subscriptions/${String(body['subscriptionID'])}`,
      headers: as('operator'),
    });
    expect(removed.statusCode).toBe(204);
  });
});
