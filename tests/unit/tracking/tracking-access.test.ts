import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { get, post, type ServiceApp } from '../../helpers/service-app.js';
import { type KeyedService, serviceWithApiKeys } from '../auth/helpers/keyed-service.js';

let keyed: KeyedService;
let service: ServiceApp;
const item = encodeURIComponent(sgtin(42));
const as = (id: string) => keyed.as(id);

beforeAll(async () => {
  keyed = await serviceWithApiKeys([
    { id: 'dock-scanner', scopes: ['capture'], hash: 'sha256' },
    { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
  ]);
  service = keyed.service;
  const captured = await post(
    service.app,
    '/capture',
    epcisDocument([objectEvent('2026-03-01T08:00:00Z', 'ADD', [sgtin(42)])]),
    as('dock-scanner'),
  );
  expect(captured.statusCode).toBe(202);
});
afterAll(() => keyed.close());

describe('the tracking API', () => {
  it.each([`/epcs/${item}/state`, `/epcs/${item}/contents`, `/trace/${item}?direction=forward`])(
    'answers %s with the query scope only',
    async (url) => {
      expect((await get(service.app, url)).statusCode).toBe(401);
      expect((await get(service.app, url, as('dock-scanner'))).statusCode).toBe(403);
      expect((await get(service.app, url, as('dashboard'))).statusCode).toBe(200);
    },
  );
});
