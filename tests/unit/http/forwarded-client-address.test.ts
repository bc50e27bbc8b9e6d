// Whose address the failed-authentication limit counts. As tracker-server.wasm's sidecar
// (JOURNAL_TAIL) every forwarded request arrives from loopback carrying the client's address in
// X-Forwarded-For: each client is limited on its own. A plain Node service never believes the
// header, or a guessing client could claim a fresh address for every guess.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import type { Config } from '../../../host/config/config.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { bearer, tempFolder, writeKeyFile } from '../auth/helpers/auth-fixtures.js';
import { expectProblem } from './helpers/expectations.js';

const FAILURE_LIMIT = 3;
const LOOPBACK = '127.0.0.1';

interface Service {
  service: ServiceApp;
  /** A known selector with a wrong secret: only the key's hash refuses it. */
  wrongSecret: string;
  close(): Promise<void>;
}

async function serviceWith(config: Partial<Config>): Promise<Service> {
  const folder = await tempFolder();
  const { file, keys } = await writeKeyFile(folder.path('api-keys.json'), [
    { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
  ]);
  const authenticator = await createAuthenticator({ apiKeyFile: file });
  const service = await buildServiceApp({
    authenticator,
    config: { authFailureLimit: FAILURE_LIMIT, ...config },
  });
  return {
    service,
    wrongSecret: `${bearer(keys['dashboard']!).slice(0, -43)}${'A'.repeat(43)}`,
    close: async () => {
      await service.close();
      await folder.cleanup();
    },
  };
}

/** GET /events with a wrong secret from `remoteAddress`, claiming to forward for `forwardedFor`. */
function guess(target: Service, remoteAddress: string, forwardedFor: string) {
  return target.service.app.inject({
    method: 'GET',
    url: '/events',
    headers: { authorization: target.wrongSecret, 'x-forwarded-for': forwardedFor },
    remoteAddress,
  });
}

async function exhaustLimit(target: Service, remoteAddress: string, forwardedFor: string): Promise<void> {
  for (let i = 0; i < FAILURE_LIMIT; i++) {
    expectProblem(await guess(target, remoteAddress, forwardedFor), 401, 'SecurityException');
  }
  const refused = await guess(target, remoteAddress, forwardedFor);
  expect(expectProblem(refused, 429, 'SecurityException').title).toBe('Too Many Requests');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
}

describe('failed authentication as the sidecar of tracker-server.wasm (JOURNAL_TAIL)', () => {
  let sidecar: Service;
  beforeAll(async () => {
    sidecar = await serviceWith({ journalTail: true });
  });
  afterAll(() => sidecar.close());

  it('limits each forwarded client by its X-Forwarded-For address, not by the loopback peer', async () => {
    await exhaustLimit(sidecar, LOOPBACK, '203.0.113.9');

    expectProblem(await guess(sidecar, LOOPBACK, '203.0.113.10'), 401, 'SecurityException');
    expectProblem(await guess(sidecar, LOOPBACK, '203.0.113.9'), 429, 'SecurityException');
  });

  it('ignores X-Forwarded-For from a peer that is not loopback', async () => {
    await exhaustLimit(sidecar, '198.51.100.7', '203.0.113.20');

    expectProblem(await guess(sidecar, '198.51.100.7', '203.0.113.21'), 429, 'SecurityException');
    expectProblem(await guess(sidecar, '198.51.100.8', '203.0.113.20'), 401, 'SecurityException');
  });
});

describe('failed authentication of a plain Node service', () => {
  let plain: Service;
  beforeAll(async () => {
    plain = await serviceWith({ journalTail: false });
  });
  afterAll(() => plain.close());

  it('ignores X-Forwarded-For: requests from one address share its limit whatever they claim', async () => {
    await exhaustLimit(plain, LOOPBACK, '203.0.113.9');

    expectProblem(await guess(plain, LOOPBACK, '203.0.113.10'), 429, 'SecurityException');
  });
});
