import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { bearer, tempFolder, writeKeyFile } from '../auth/helpers/auth-fixtures.js';

let service: ServiceApp;
let keys: Record<string, string>;
let cleanup: () => Promise<void>;
const item = encodeURIComponent(sgtin(42));
const as = (id: string) => ({ authorization: bearer(keys[id]!) });

beforeAll(async () => {
  const folder = await tempFolder();
  cleanup = folder.cleanup;
  const written = await writeKeyFile(folder.path('api-keys.json'), [
    { id: 'dock-scanner', scopes: ['capture'], hash: 'sha256' },
    { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
  ]);
  keys = written.keys;
  service = await buildServiceApp({ authenticator: await createAuthenticator({ apiKeyFile: written.file }) });
  const captured = await post(
    service.app,
    '/capture',
    epcisDocument([objectEvent('2026-03-01T08:00:00Z', 'ADD', [sgtin(42)])]),
    as('dock-scanner'),
  );
  expect(captured.statusCode).toBe(202);
});
afterAll(async () => {
  await service.close();
  await cleanup();
});

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
