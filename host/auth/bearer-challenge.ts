import type { AuthFailure } from './principal.js';
import type { Scope } from './scopes.js';

// RFC 6750 §3: the WWW-Authenticate challenges of a bearer-token resource server.

const REALM = 'edgetrace';

/** 401 for a request that sent no credentials: §3.1 says not to add an error code then. */
export function missingCredentials(): AuthFailure {
  return {
    ok: false,
    status: 401,
    detail: 'this endpoint requires an Authorization: Bearer token',
    wwwAuthenticate: `Bearer realm="${REALM}"`,
  };
}

/** 401 for credentials that are malformed, unknown, expired or forged. */
export function invalidToken(detail: string): AuthFailure {
  return {
    ok: false,
    status: 401,
    detail,
    wwwAuthenticate: `Bearer realm="${REALM}", error="invalid_token", error_description="${quotable(detail)}"`,
  };
}

/** 403 for a valid token without the scope the endpoint needs. */
export function insufficientScope(scope: Scope): AuthFailure {
  const detail = `this endpoint requires the '${scope}' scope`;
  return {
    ok: false,
    status: 403,
    detail,
    wwwAuthenticate:
      `Bearer realm="${REALM}", error="insufficient_scope", ` +
      `error_description="${quotable(detail)}", scope="${scope}"`,
  };
}

/** 429 for a client address that failed to authenticate too often (failed-auth-limiter.ts). */
export function tooManyFailures(retryAfterS: number): AuthFailure {
  return {
    ok: false,
    status: 429,
    detail: `too many failed authentications from this address; try again in ${retryAfterS} s`,
    retryAfterS,
  };
}

// §3: error_description may only hold %x20-21 / %x23-5B / %x5D-7E, so no quote, no backslash.
function quotable(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
}
