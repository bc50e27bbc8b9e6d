// Access control as a client meets it through the app: bearer API keys with capture / query scopes,
// SecurityException problems, and the operations endpoints that stay open to the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareEvent, epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { bearer } from '../auth/helpers/auth-fixtures.js';
import { type KeyedService, serviceWithApiKeys } from '../auth/helpers/keyed-service.js';
import { expectProblem } from './helpers/expectations.js';

let keyed: KeyedService;
let service: ServiceApp;

beforeAll(async () => {
  keyed = await serviceWithApiKeys(
    [
      { id: 'dock-scanner', scopes: ['capture'], hash: 'sha256' },
      { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
      { id: 'integration', scopes: ['capture', 'query'], hash: 'sha256' },
    ],
    { onDisk: true },
  );
  service = keyed.service;
});
afterAll(() => keyed.close());

const as = (id: string) => keyed.as(id);
const document = (serial: number) =>
  epcisDocument([objectEvent('2024-05-01T10:00:00Z', 'OBSERVE', [sgtin(serial)], { bizStep: 'receiving' })]);

describe('access control', () => {
  it.each([
    ['GET', '/events'],
    ['POST', '/capture'],
    ['GET', '/capture'],
    ['GET', '/epcs'],
    ['GET', '/no-such-route'],
  ] as const)(
    'answers %s %s without a token with 401 SecurityException and a Bearer challenge',
    async (method, url) => {
      const response = await service.app.inject({ method, url });

      expectProblem(response, 401, 'SecurityException');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    },
  );

  it('answers an unknown key with 401', async () => {
    const response = await get(service.app, '/events', { authorization: bearer('et_unknownkey_0000') });

    expectProblem(response, 401, 'SecurityException');
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('answers a capture key querying /events with 403 SecurityException naming the scope', async () => {
    const response = await get(service.app, '/events', as('dock-scanner'));

    expect(expectProblem(response, 403, 'SecurityException').detail).toMatch(/query/);
    expect(response.headers['www-authenticate']).toMatch(/insufficient_scope/);
  });

  it.each([
    ['POST', '/capture'],
    ['POST', '/events'],
    ['GET', '/capture'],
  ] as const)('answers a query key calling %s %s with 403', async (method, url) => {
    const response = await service.app.inject({ method, url, headers: as('dashboard') });

    expectProblem(response, 403, 'SecurityException');
  });

  it('lets a capture key capture and read its capture job, and a query key read the events', async () => {
    const captured = await post(service.app, '/capture', document(1), as('dock-scanner'));
    expect(captured.statusCode, captured.body).toBe(202);
    expect(
      (await get(service.app, String(captured.headers['location']), as('dock-scanner'))).statusCode,
    ).toBe(200);
    const single = await post(
      service.app,
      '/events',
      bareEvent(objectEvent('2024-05-02T10:00:00Z', 'OBSERVE', [sgtin(2)])),
      as('integration'),
    );
    expect(single.statusCode, single.body).toBe(201);

    const events = await get(service.app, '/events', as('dashboard'));

    expect(events.statusCode).toBe(200);
    expect((await get(service.app, String(single.headers['location']), as('dashboard'))).statusCode).toBe(
      200,
    );
  });

  it('answers OPTIONS to any authenticated client, whatever its scopes', async () => {
    const response = await service.app.inject({
      method: 'OPTIONS',
      url: '/events',
      headers: as('dock-scanner'),
    });

    expect(response.statusCode).toBe(204);
  });

  it.each(['/health', '/ready', '/metrics'])('keeps %s open without a token', async (url) => {
    expect((await get(service.app, url)).statusCode).toBe(200);
  });
});

describe('failed authentication', () => {
  // A known selector with a wrong secret: only the key's hash can refuse it (a scrypt in production).
  const wrongSecret = (id: string) => `${as(id).authorization.slice(0, -43)}${'A'.repeat(43)}`;
  const from = (remoteAddress: string, headers: Record<string, string>) =>
    service.app.inject({ method: 'GET', url: '/events', headers, remoteAddress });

  it('answers an address past AUTH_FAILURE_LIMIT with 429 problem+json and Retry-After; others go on', async () => {
    expect((await from('10.1.0.1', as('dashboard'))).statusCode).toBe(200);
    for (let i = 0; i < service.config.authFailureLimit; i++) {
      expectProblem(
        await from('10.1.0.1', { authorization: wrongSecret('dashboard') }),
        401,
        'SecurityException',
      );
    }

    const refused = await from('10.1.0.1', { authorization: wrongSecret('dashboard') });

    expect(expectProblem(refused, 429, 'SecurityException').title).toBe('Too Many Requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('10.1.0.1', as('dashboard'))).statusCode).toBe(200);
    expectProblem(
      await from('10.1.0.2', { authorization: wrongSecret('dashboard') }),
      401,
      'SecurityException',
    );
  });
});

describe('open mode (no credentials configured)', () => {
  let open: ServiceApp;
  beforeAll(async () => {
    open = await buildServiceApp();
  });
  afterAll(() => open.close());

  it.each(['localhost:8080', '127.0.0.1:8080', '127.0.0.2', '[::1]:8080'])(
    'answers requests addressed to the loopback Host %s',
    async (host) => {
      expect((await get(open.app, '/events', { host })).statusCode).toBe(200);
    },
  );

  it.each([
    ['/events', 'attacker.example'],
    ['/events', 'attacker.example:8080'],
    ['/health', '192.168.1.20:8080'],
  ])('refuses %s addressed to Host %s (DNS rebinding) with 403 SecurityException', async (url, host) => {
    const response = await get(open.app, url, { host });

    expect(expectProblem(response, 403, 'SecurityException').detail).toMatch(/Host/);
  });

  it('refuses a foreign Host only in open mode: with credentials configured it is served', async () => {
    const host = 'edge-7.plant.example:8080';

    expectProblem(await get(open.app, '/events', { host }), 403, 'SecurityException');
    expect((await get(service.app, '/events', { ...as('dashboard'), host })).statusCode).toBe(200);
  });

  it('refuses a write addressed to a foreign Host before it is stored', async () => {
    const response = await post(open.app, '/capture', document(7), { host: 'attacker.example' });

    expectProblem(response, 403, 'SecurityException');
    expect((await get(open.app, '/capture')).json()).toEqual([]);
  });
});

describe('operations endpoints', () => {
  it('reports liveness and readiness', async () => {
    expect((await get(service.app, '/health')).json()).toEqual({ status: 'alive' });
    expect((await get(service.app, '/ready')).json()).toMatchObject({ ready: true });
  });

  it('exposes request counts by route template and the captured event count on /metrics', async () => {
    const before = capturedEventsTotal(await get(service.app, '/metrics'));
    expect((await post(service.app, '/capture', document(3), as('dock-scanner'))).statusCode).toBe(202);
    const eventId = 'urn:uuid:7d7d7d7d-0000-4000-8000-000000000001';
    await get(service.app, `/events/${encodeURIComponent(eventId)}`, as('dashboard'));
    await get(service.app, '/events', as('dock-scanner'));

    const response = await get(service.app, '/metrics');

    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(capturedEventsTotal(response)).toBe(before + 1);
    expect(response.body).toMatch(
      /^edgetrace_http_requests_total\{method="POST",route="\/capture",status="202"\} \d+$/m,
    );
    expect(response.body).toMatch(
      /^edgetrace_http_requests_total\{method="GET",route="\/events\/:eventID",status="404"\} 1$/m,
    );
    expect(response.body).toMatch(
      /^edgetrace_http_requests_total\{method="GET",route="\/events",status="403"\} \d+$/m,
    );
    expect(response.body).not.toContain('7d7d7d7d');
  });
});

function capturedEventsTotal(response: { body: string }): number {
  const match = /^edgetrace_captured_events_total (\d+)$/m.exec(response.body);
  expect(match, 'edgetrace_captured_events_total is exposed').not.toBeNull();
  return Number(match![1]);
}
