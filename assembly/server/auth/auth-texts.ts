// Every text the server's access control answers with, copied from the Node service so a client
// cannot tell which host refused it (tests/integration/wasmedge-server/access-control.test.ts
// compares the answers of both). Sources:
//   host/auth/bearer-challenge.ts  realm, the 401/403/429 details and WWW-Authenticate challenges
//   host/auth/authenticate.ts      MALFORMED_HEADER, the too-long token
//   host/auth/api-keys.ts          the malformed and unknown API key details
//   host/auth/fastify-auth.ts      TITLES, the SecurityException type, FOREIGN_HOST
//   host/auth/listen-address.ts    the open-mode warning

export const REALM = 'edgetrace';
export const SECURITY_EXCEPTION = 'SecurityException';

export const MISSING_CREDENTIALS = 'this endpoint requires an Authorization: Bearer token';
export const MALFORMED_HEADER = 'the Authorization header must be "Bearer <token>"';
export const TOKEN_TOO_LONG = 'the token is too long';
export const MALFORMED_API_KEY = 'the API key is malformed';
export const UNKNOWN_API_KEY = 'the API key is not known';
export const FOREIGN_HOST =
  'without credentials configured this service answers only requests addressed to localhost, ' +
  '127.0.0.1 or [::1] (Host header)';

/** fastify-auth.ts TITLES. */
export function securityTitle(status: i32): string {
  if (status == 401) return 'Unauthorized';
  if (status == 403) return 'Forbidden';
  return 'Too Many Requests';
}

export function insufficientScopeDetail(scope: string): string {
  return "this endpoint requires the '" + scope + "' scope";
}

export function tooManyFailuresDetail(retryAfterS: i32): string {
  return 'too many failed authentications from this address; try again in ' + retryAfterS.toString() + ' s';
}

export function missingChallenge(): string {
  return 'Bearer realm="' + REALM + '"';
}

export function invalidTokenChallenge(detail: string): string {
  return 'Bearer realm="' + REALM + '", error="invalid_token", error_description="' + quotable(detail) + '"';
}

export function insufficientScopeChallenge(scope: string): string {
  return (
    'Bearer realm="' +
    REALM +
    '", error="insufficient_scope", error_description="' +
    quotable(insufficientScopeDetail(scope)) +
    '", scope="' +
    scope +
    '"'
  );
}

/** RFC 6750 §3: error_description may only hold %x20-21 / %x23-5B / %x5D-7E; the rest becomes '?'. */
function quotable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    // Per UTF-16 code unit, as the JavaScript regular expression (no u flag) replaces them.
    const c = text.charCodeAt(i);
    out +=
      (c >= 0x20 && c <= 0x21) || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e)
        ? String.fromCharCode(c)
        : '?';
  }
  return out;
}

export function openModeWarning(host: string, configuredHost: string): string {
  const ignored =
    host == configuredHost
      ? ''
      : ' (the configured host ' + (configuredHost.length > 0 ? configuredHost : '(empty)') + ' is ignored)';
  return (
    'access control is off: no API key file or JWKS is configured, so the service listens on ' +
    host +
    ' only' +
    ignored +
    '; configure API_KEYS_FILE or JWKS_FILE to serve other addresses'
  );
}
