import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { registerAccessControl } from '../../../host/auth/fastify-auth.js';
import { CONSOLE_PUBLIC_PATHS, registerConsoleRoutes } from '../../../host/http/routes/console-routes.js';

const PAGE =
  '<!doctype html><title>console</title><script type="module" src="/ui/assets/app-ABC123.js"></script>';
const SCRIPT = 'console.log("edgetrace");';

let bundle: string;
let missing: string;
let app: FastifyInstance;
let unbuilt: FastifyInstance;

async function appServing(bundleDir: string): Promise<FastifyInstance> {
  const made = await createApiKey({ id: 'reader', scopes: ['query'] });
  const keyFile = join(bundle, '..', `keys-${made.entry.id}-${Math.random()}.json`);
  writeFileSync(keyFile, JSON.stringify({ keys: [made.entry] }));
  const server = Fastify() as unknown as FastifyInstance;
  registerAccessControl(server, {
    authenticator: await createAuthenticator({ apiKeyFile: keyFile }),
    publicPaths: CONSOLE_PUBLIC_PATHS,
    scopeForRoute: () => 'query',
  });
  registerConsoleRoutes(server, { bundleDir });
  await server.ready();
  return server;
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'edgetrace-console-'));
  bundle = join(root, 'ui');
  missing = join(root, 'not-built');
  mkdirSync(join(bundle, 'assets'), { recursive: true });
  writeFileSync(join(bundle, 'index.html'), PAGE);
  writeFileSync(join(bundle, 'assets', 'app-ABC123.js'), SCRIPT);
  writeFileSync(join(bundle, 'assets', 'app-ABC123.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(bundle, 'assets', 'app-ABC123.css'), 'body{color:#111}');
  writeFileSync(join(bundle, 'assets', 'app-ABC123.js.map'), '{"version":3}');
  app = await appServing(bundle);
  unbuilt = await appServing(missing);
});

afterAll(async () => {
  await app.close();
  await unbuilt.close();
  rmSync(join(bundle, '..'), { recursive: true, force: true });
});

describe('the tracking console at /ui', () => {
  it('serves the page without a token, revalidated on every load and locked to this origin', async () => {
    for (const url of ['/ui', '/ui/']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.body).toBe(PAGE);
    }
  });

  it('serves hashed assets with their content type and a year-long immutable cache', async () => {
    const cases: [string, string][] = [
      ['/ui/assets/app-ABC123.js', 'text/javascript; charset=utf-8'],
      ['/ui/assets/app-ABC123.css', 'text/css; charset=utf-8'],
      ['/ui/assets/app-ABC123.js.map', 'application/json; charset=utf-8'],
    ];
    for (const [url, type] of cases) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toBe(type);
      expect(response.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('sends the precompressed copy to browsers that accept gzip', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/ui/assets/app-ABC123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['vary']).toBe('Accept-Encoding');
    expect(gunzipSync(response.rawPayload).toString('utf8')).toBe(SCRIPT);
  });

  it('answers unknown files and path tricks with a 404 problem, never a file outside the bundle', async () => {
    for (const url of [
      '/ui/assets/nope-1.js',
      '/ui/assets/..%2Findex.html',
      '/ui/../package.json',
      '/ui/secrets.txt',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect([404, 401], url).toContain(response.statusCode);
      expect(response.body, url).not.toContain('edgetrace');
      expect(response.headers['content-type'], url).toMatch(/^application\/(problem\+)?json/);
    }
  });

  it('explains with a 503 problem that the bundle must be built when it is missing', async () => {
    for (const url of ['/ui', '/ui/assets/app-ABC123.js']) {
      const response = await unbuilt.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json<{ detail: string }>().detail).toContain('npm run build:ui');
    }
  });
});
