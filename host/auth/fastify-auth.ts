import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { requireScope, type Authenticator } from './authenticate.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import { isLoopbackHost } from './loopback-host.js';
import type { AuthFailure, Principal } from './principal.js';
import type { Scope } from './scopes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request; null in open mode and on public paths. */
    principal: Principal | null;
  }
}

export interface AccessControlOptions {
  /** null: open mode, every request passes (the caller listens on loopback only). */
  authenticator: Authenticator | null;
  /** Route URLs as registered (`/health`), reachable without a token. */
  publicPaths: readonly string[];
  /**
   * The scope a route needs; null means any authenticated principal may call it. `method` is as
   * sent, so fastify's automatic HEAD routes arrive as HEAD with the GET route's URL.
   */
  scopeForRoute: (method: string, routeUrl: string) => Scope | null;
  /** Counts failed authentications per client address; a client past its limit gets 429. */
  failedAuth?: FailedAuthLimiter;
}

/** RFC 7807 body of a 401/403/429 (EPCIS.md §1.7). */
export interface SecurityProblem {
  type: 'epcisException:SecurityException';
  title: 'Unauthorized' | 'Forbidden' | 'Too Many Requests';
  status: 401 | 403 | 429;
  detail: string;
}

const TITLES = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' } as const;

/**
 * Adds access control to every route of `app`. Call it on the root instance before the route
 * plugins are registered, so that no route escapes the hook. Generic over the logger so that an
 * app built with `loggerInstance: pino(...)` fits.
 */
export function registerAccessControl<Logger extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>,
  options: AccessControlOptions,
): void {
  const { authenticator, scopeForRoute, failedAuth } = options;
  const publicPaths = new Set(options.publicPaths);
  app.decorateRequest('principal', null);
  if (authenticator === null) {
    // Open mode listens on loopback only; this keeps web pages out that reach loopback through
    // DNS rebinding (see loopback-host.ts). Every path, public ones included: none is meant for them.
    app.addHook('onRequest', async (request, reply) => {
      if (isLoopbackHost(request.headers.host)) return;
      return deny(request, reply, FOREIGN_HOST, null);
    });
    return;
  }

  app.addHook('onRequest', async (request, reply) => {
    // Public is decided by the route that matched, not by the raw URL, so no spelling of a URL
    // (query strings, `%68ealth`, trailing slashes) makes a protected handler look public.
    // Unmatched URLs need a token too, so that anonymous callers cannot map the API by its 404s.
    const routeUrl = request.routeOptions.url;
    if (routeUrl !== undefined && publicPaths.has(routeUrl)) return;
    const throttle = failedAuth === undefined ? undefined : { client: request.ip, limiter: failedAuth };
    const result = await authenticator.authenticate(request.headers.authorization, throttle);
    if (!result.ok && result.status === 429 && throttle !== undefined) {
      // A guessing client sends hundreds of these: one warning per window says it is being refused,
      // the request log line still records each refusal.
      if (throttle.limiter.firstRefusal(throttle.client)) {
        request.log.warn(
          { client: throttle.client, retryAfterS: result.retryAfterS },
          'client refused after too many failed authentications',
        );
      }
      return sendRefusal(reply, result);
    }
    if (!result.ok) return deny(request, reply, result, null);
    const scope = routeUrl === undefined ? null : scopeForRoute(request.method, routeUrl);
    const refusal = scope === null ? null : requireScope(result.principal, scope);
    if (refusal !== null) return deny(request, reply, refusal, result.principal);
    request.principal = result.principal;
  });
}

function deny(
  request: { log: FastifyBaseLogger },
  reply: FastifyReply,
  failure: AuthFailure,
  principal: Principal | null,
): FastifyReply {
  request.log.info(
    { status: failure.status, detail: failure.detail, principal: principal?.id },
    failure.status === 403 ? 'request not authorised' : 'request not authenticated',
  );
  return sendRefusal(reply, failure);
}

/** Sends the problem+json of a refusal, with its challenge and Retry-After headers. */
function sendRefusal(reply: FastifyReply, failure: AuthFailure): FastifyReply {
  const body: SecurityProblem = {
    type: 'epcisException:SecurityException',
    title: TITLES[failure.status],
    status: failure.status,
    detail: failure.detail,
  };
  if (failure.wwwAuthenticate !== undefined) reply.header('www-authenticate', failure.wwwAuthenticate);
  if (failure.retryAfterS !== undefined) reply.header('retry-after', String(failure.retryAfterS));
  return reply.code(failure.status).type('application/problem+json').send(body);
}

const FOREIGN_HOST: AuthFailure = {
  ok: false,
  status: 403,
  detail:
    'without credentials configured this service answers only requests addressed to localhost, ' +
    '127.0.0.1 or [::1] (Host header)',
};
