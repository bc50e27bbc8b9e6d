import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { requireScope, type Authenticator } from './authenticate.js';
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
}

/** RFC 7807 body of a 401/403 (EPCIS.md §1.7). */
export interface SecurityProblem {
  type: 'epcisException:SecurityException';
  title: 'Unauthorized' | 'Forbidden';
  status: 401 | 403;
  detail: string;
}

/**
 * Adds access control to every route of `app`. Call it on the root instance before the route
 * plugins are registered, so that no route escapes the hook. Generic over the logger so that an
 * app built with `loggerInstance: pino(...)` fits.
 */
export function registerAccessControl<Logger extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>,
  options: AccessControlOptions,
): void {
  const { authenticator, scopeForRoute } = options;
  const publicPaths = new Set(options.publicPaths);
  app.decorateRequest('principal', null);
  if (authenticator === null) return;

  app.addHook('onRequest', async (request, reply) => {
    // Public is decided by the route that matched, not by the raw URL, so no spelling of a URL
    // (query strings, `%68ealth`, trailing slashes) makes a protected handler look public.
    // Unmatched URLs need a token too, so that anonymous callers cannot map the API by its 404s.
    const routeUrl = request.routeOptions.url;
    if (routeUrl !== undefined && publicPaths.has(routeUrl)) return;
    const result = await authenticator.authenticate(request.headers.authorization);
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
    failure.status === 401 ? 'request not authenticated' : 'request not authorised',
  );
  const body: SecurityProblem = {
    type: 'epcisException:SecurityException',
    title: failure.status === 401 ? 'Unauthorized' : 'Forbidden',
    status: failure.status,
    detail: failure.detail,
  };
  return reply
    .code(failure.status)
    .header('www-authenticate', failure.wwwAuthenticate)
    .type('application/problem+json')
    .send(body);
}
