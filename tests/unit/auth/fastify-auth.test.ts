import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { pino, type Logger } from 'pino';
import { createAuthenticator, type Authenticator } from '../../../host/auth/authenticate.js';
import { FailedAuthLimiter } from '../../../host/auth/failed-auth-limiter.js';
import { registerAccessControl } from '../../../host/auth/fastify-auth.js';
import { AUTH_REDACT_CENSOR, AUTH_REDACT_PATHS } from '../../../host/auth/log-redaction.js';
import type { Scope } from '../../../host/auth/scopes.js';
import { type AccessFiles, bearer, signToken, writeAccessFiles } from './helpers/auth-fixtures.js';

const PUBLIC_PATHS = ['/health', '/ready', '/metrics'];
const ROUTE_SCOPES: Record<string, Scope> = {
  'POST /capture': 'capture',
  'GET /events': 'query',
  'GET /events/:eventID': 'query',
  'DELETE /admin/cache': 'admin',
};

function scopeForRoute(method: string, routeUrl: string): Scope | null {
  return ROUTE_SCOPES[`${method === 'HEAD' ? 'GET' : method} ${routeUrl}`] ?? null;
}

type TestApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger
>;

function buildApp(authenticator: Authenticator | null, logger: Logger = pino({ level: 'silent' })): TestApp {
  const app = Fastify({ loggerInstance: logger });
  registerAccessControl(app, { authenticator, publicPaths: PUBLIC_PATHS, scopeForRoute });
  const who = async (request: FastifyRequest) => ({ principal: request.principal?.id ?? null });
  for (const path of PUBLIC_PATHS) app.get(path, async () => ({ status: 'ok' }));
  app.post('/capture', who);
  app.get('/events/:eventID', who);
  app.get('/whoami', who);
  // Routes added by a plugin are covered too: the hook sits on the root instance.
  void app.register(async (child) => {
    child.get('/events', who);
    child.delete('/admin/cache', who);
  });
  return app;
}

/** A pino logger writing JSON lines into `lines`, with the request's headers in every request log. */
function capturingLogger(lines: string[], redact: boolean): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return pino(
    {
      level: 'trace',
      ...(redact ? { redact: { paths: [...AUTH_REDACT_PATHS], censor: AUTH_REDACT_CENSOR } } : {}),
      serializers: {
        req: (req: { method: string; url: string; headers: unknown }) => ({
          method: req.method,
          url: req.url,
          headers: req.headers,
        }),
      },
    },
    stream,
  );
}

describe('registerAccessControl', () => {
  let files: AccessFiles;
  let authenticator: Authenticator;
  let app: TestApp;
  let keys: Record<string, string>;
  let jwt: string;

  beforeAll(async () => {
    files = await writeAccessFiles([
      { id: 'dock', scopes: ['capture'] },
      { id: 'ops', scopes: ['admin'], hash: 'sha256' },
    ]);
    keys = files.keys;
    jwt = await signToken(files.idp, { sub: 'dashboard', scope: 'query' });
    authenticator = (await createAuthenticator(files.config)) as Authenticator;
    app = buildApp(authenticator);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await files.folder.cleanup();
  });

  it.each(['/health', '/ready', '/metrics', '/health?verbose=1'])(
    'serves the public path %s without a token',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['www-authenticate']).toBeUndefined();
    },
  );

  it('answers a request without a token with a 401 SecurityException problem', async () => {
    const response = await app.inject({ method: 'POST', url: '/capture', payload: {} });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="edgetrace"');
    expect(response.json()).toEqual({
      type: 'epcisException:SecurityException',
      title: 'Unauthorized',
      status: 401,
      detail: 'this endpoint requires an Authorization: Bearer token',
    });
  });

  it('answers a bad token with 401 invalid_token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/events',
      headers: { authorization: 'Bearer et_nonsense' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="edgetrace", error="invalid_token", error_description="the API key is malformed"',
    );
    expect(response.json()).toMatchObject({ title: 'Unauthorized', detail: 'the API key is malformed' });
  });

  it('answers a valid token without the route scope with a 403 insufficient_scope problem', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/events',
      headers: { authorization: bearer(keys['dock'] as string) },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(response.headers['www-authenticate']).toContain('scope="query"');
    expect(response.json()).toEqual({
      type: 'epcisException:SecurityException',
      title: 'Forbidden',
      status: 403,
      detail: "this endpoint requires the 'query' scope",
    });
  });

  it.each([
    ['POST', '/capture', 'dock', 'capture'],
    ['GET', '/events', 'jwt', 'query'],
    ['GET', '/events/urn:uuid:1', 'jwt', 'query'],
    ['DELETE', '/admin/cache', 'ops', 'admin'],
  ] as const)('lets %s %s through with a %s token holding %s', async (method, url, holder, _scope) => {
    const token = holder === 'jwt' ? jwt : (keys[holder] as string);
    const response = await app.inject({
      method,
      url,
      headers: { authorization: bearer(token) },
      payload: method === 'POST' ? {} : undefined,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: holder === 'jwt' ? 'dashboard' : holder });
  });

  it('guards the HEAD twin of a GET route like the GET route', async () => {
    expect((await app.inject({ method: 'HEAD', url: '/events' })).statusCode).toBe(401);
    const dock = { authorization: bearer(keys['dock'] as string) };
    expect((await app.inject({ method: 'HEAD', url: '/events', headers: dock })).statusCode).toBe(403);
    expect((await app.inject({ method: 'HEAD', url: '/health' })).statusCode).toBe(200);
  });

  it('does not let the admin scope stand in for capture', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/capture',
      headers: { authorization: bearer(keys['ops'] as string) },
      payload: {},
    });
    expect(response.statusCode).toBe(403);
  });

  it('lets any authenticated principal reach a route that names no scope', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/whoami',
      headers: { authorization: bearer(jwt) },
    });
    expect(response.json()).toEqual({ principal: 'dashboard' });
  });

  it('asks for a token before revealing whether a route exists', async () => {
    expect((await app.inject({ method: 'GET', url: '/no-such-thing' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/health/' })).statusCode).toBe(401);
    const authenticated = await app.inject({
      method: 'GET',
      url: '/no-such-thing',
      headers: { authorization: bearer(jwt) },
    });
    expect(authenticated.statusCode).toBe(404);
  });

  it('lets every request through in open mode, with no principal', async () => {
    const open = buildApp(null);
    const response = await open.inject({ method: 'DELETE', url: '/admin/cache' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: null });
    await open.close();
  });

  it("fits an app built with fastify's own logger as well", async () => {
    const plain = Fastify();
    registerAccessControl(plain, { authenticator, publicPaths: PUBLIC_PATHS, scopeForRoute });
    plain.get('/events', async () => ({}));
    expect((await plain.inject({ method: 'GET', url: '/events' })).statusCode).toBe(401);
    await plain.close();
  });

  describe('logging', () => {
    async function logsOf(redact: boolean): Promise<string> {
      const lines: string[] = [];
      const logged = buildApp(authenticator, capturingLogger(lines, redact));
      logged.get('/debug', async (request) => {
        request.log.debug({ headers: request.headers }, 'request headers');
        return {};
      });
      const forged = `${(keys['dock'] as string).slice(0, -4)}AAAA`;
      const requests: Array<[string, string, string]> = [
        ['POST', '/capture', keys['dock'] as string],
        ['GET', '/events', keys['dock'] as string],
        ['GET', '/events', jwt],
        ['GET', '/events', forged],
        ['GET', '/debug', keys['ops'] as string],
      ];
      for (const [method, url, token] of requests) {
        await logged.inject({
          method: method as 'GET',
          url,
          headers: { authorization: bearer(token) },
          payload: method === 'POST' ? {} : undefined,
        });
      }
      await logged.close();
      return lines.join('');
    }

    it('shows no token or key in the log, even with a serializer that logs headers', async () => {
      const log = await logsOf(true);
      expect(log).toContain('request not authorised');
      expect(log).toContain('request not authenticated');
      expect(log).toContain('"detail":"the API key is not known"');
      expect(log).toContain(AUTH_REDACT_CENSOR);
      for (const secret of [
        keys['dock'] as string,
        keys['ops'] as string,
        jwt,
        jwt.split('.')[2] as string,
      ]) {
        expect(log).not.toContain(secret);
      }
      expect(log).not.toContain((keys['dock'] as string).slice(-20));
    });

    it('would show the tokens without the redact paths (the check above can fail)', async () => {
      expect(await logsOf(false)).toContain(jwt);
    });

    it('warns once about a client refused for failing too often, not once per refused request', async () => {
      const lines: string[] = [];
      const throttled = Fastify({ loggerInstance: capturingLogger(lines, true) });
      registerAccessControl(throttled, {
        authenticator,
        publicPaths: PUBLIC_PATHS,
        scopeForRoute,
        failedAuth: new FailedAuthLimiter({ maxFailures: 2, windowMs: 60_000 }),
      });
      throttled.get('/events', async () => ({}));
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const answer = await throttled.inject({
          method: 'GET',
          url: '/events',
          headers: { authorization: bearer(`${(keys['ops'] as string).slice(0, -4)}AAAA`) },
        });
        statuses.push(answer.statusCode);
      }
      await throttled.close();

      expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
      const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages.filter((msg) => msg === 'request not authenticated')).toHaveLength(2);
      expect(
        messages.filter((msg) => msg === 'client refused after too many failed authentications'),
      ).toHaveLength(1);
    });
  });
});
