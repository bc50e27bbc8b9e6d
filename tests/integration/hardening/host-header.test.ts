// Issue 9 item 9: without credentials the service listens on 127.0.0.1, but it trusted any Host
// header, so a web page using DNS rebinding (its own name made to resolve to 127.0.0.1) could read
// and write it from a browser. The real built service in open mode answers only requests addressed
// to a loopback name; with API keys configured it serves every Host, as a pod behind a Service must.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  tempDataDir,
  type TempDir,
} from '../../helpers/service-process.js';
import { send } from './support/http-request.js';

const document = JSON.stringify(
  epcisDocument([objectEvent('2024-05-01T10:00:00Z', 'OBSERVE', [sgtin(1)], { bizStep: 'receiving' })]),
);

describe('the Host header', () => {
  const group = new ServiceGroup();
  const dirs: TempDir[] = [];
  afterEach(async () => {
    await group.killAll();
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('refuses a DNS-rebinding page (foreign Host) in open mode before reading or storing, and serves it with credentials on', async () => {
    assertServiceBuilt();
    const data = tempDataDir('edgetrace-host-header-');
    dirs.push(data);
    const service = await group.start({ dataDir: data.dir });
    const page = { host: `attacker.example:${service.port}` };

    const read = await send({ url: service.url('/events'), headers: page });
    const write = await send({
      url: service.url('/capture'),
      method: 'POST',
      headers: { ...page, 'content-type': 'application/ld+json' },
      body: document,
    });

    for (const answer of [read, write]) {
      expect(answer.status, answer.body).toBe(403);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'epcisException:SecurityException' });
    }
    for (const host of [`localhost:${service.port}`, `127.0.0.1:${service.port}`]) {
      const jobs = await send({ url: service.url('/capture'), headers: { host } });
      expect(jobs.status, jobs.body).toBe(200);
      expect(JSON.parse(jobs.body)).toEqual([]);
    }

    // With API keys configured the Host is not restricted: the pod is reached by its Service name.
    const keyed = tempDataDir('edgetrace-host-header-keys-');
    dirs.push(keyed);
    const made = await createApiKey({ id: 'dock-scanner', scopes: ['capture'], hash: 'sha256' });
    const keyFile = join(keyed.dir, 'api-keys.json');
    writeFileSync(keyFile, JSON.stringify({ keys: [made.entry] }));
    const withKeys = await group.start({ dataDir: keyed.dir, env: { API_KEYS_FILE: keyFile } });
    const answer = await send({
      url: withKeys.url('/capture'),
      method: 'POST',
      headers: {
        host: 'edgetrace.plant-lyon.svc.cluster.local:8080',
        authorization: `Bearer ${made.key}`,
        'content-type': 'application/ld+json',
      },
      body: document,
    });

    expect(answer.status, answer.body).toBe(202);
  }, 45_000);
});
