// Who may do what with named queries and subscriptions when access control is on: defining,
// deleting and every subscription route need `admin`; reading definitions and results needs `query`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { buildServiceApp, post, type ServiceApp } from '../../helpers/service-app.js';
import { bearer, tempFolder, writeKeyFile } from '../auth/helpers/auth-fixtures.js';
import { expectProblem } from '../http/helpers/expectations.js';

let service: ServiceApp;
let keys: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const folder = await tempFolder();
  cleanup = folder.cleanup;
  const written = await writeKeyFile(folder.path('api-keys.json'), [
    { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
    { id: 'operator', scopes: ['admin'], hash: 'sha256' },
  ]);
  keys = written.keys;
  service = await buildServiceApp({ authenticator: await createAuthenticator({ apiKeyFile: written.file }) });
  const created = await post(
    service.app,
    '/queries',
    { name: 'guarded', query: { eventType: ['ObjectEvent'] } },
    as('operator'),
  );
  expect(created.statusCode, created.body).toBe(201);
});
afterAll(async () => {
  await service.close();
  await cleanup();
});

const as = (id: string) => ({ authorization: bearer(keys[id]!) });
const subscription = { dest: 'http://127.0.0.1:9/never-called', schedule: { hour: '1', minute: '5' } };

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
