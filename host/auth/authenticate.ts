import { API_KEY_PREFIX } from './api-key-format.js';
import { sha256 } from './api-key-hash.js';
import { loadApiKeys, type ApiKeyVerifier } from './api-keys.js';
import { insufficientScope, invalidToken, missingCredentials, tooManyFailures } from './bearer-challenge.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import { loadJwtVerifier, looksLikeJwt, type JwtOptions, type JwtVerifier } from './jwt.js';
import type { AuthFailure, AuthResult, Principal, TokenVerdict } from './principal.js';
import type { Scope } from './scopes.js';

export interface AccessControlConfig {
  apiKeyFile?: string;
  jwks?: JwtOptions;
}

/** Who is asking, for counting failed attempts per client address. */
export interface AuthThrottle {
  client: string;
  limiter: FailedAuthLimiter;
}

export interface Authenticator {
  /** What is configured, for the start-up log; never key material. */
  readonly description: string;
  /**
   * With a throttle, every refused token counts against the client, and a client past its limit
   * gets 429 before its token is verified, unless the token was verified before (a cache hit
   * costs nothing, so a busy address does not lock out its working keys).
   */
  authenticate(authorizationHeader: string | undefined, throttle?: AuthThrottle): Promise<AuthResult>;
}

// RFC 6750 §2.1: `Bearer` (case-insensitive, RFC 9110 §11.1), one or more spaces, a b64token.
const BEARER_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
// Far above any real JWT; keeps a hostile header from reaching the parsers at all.
const MAX_TOKEN_LENGTH = 8192;
const MALFORMED_HEADER = 'the Authorization header must be "Bearer <token>"';

/**
 * Builds the authenticator from the configured key file and/or JWKS; throws AuthConfigError when
 * one of them cannot be used. Returns null when neither is configured: open mode, which the caller
 * may only serve on loopback (see listenAddressFor).
 */
export async function createAuthenticator(config: AccessControlConfig): Promise<Authenticator | null> {
  const apiKeys = config.apiKeyFile === undefined ? null : await loadApiKeys(config.apiKeyFile);
  const jwt = config.jwks === undefined ? null : await loadJwtVerifier(config.jwks);
  if (apiKeys === null && jwt === null) return null;
  // Requests presenting the same token at the same time share one verification: a scanner's first
  // burst with a new key costs one scrypt, not one per request, and counts once against its limit.
  const inFlight = new Map<string, Promise<TokenVerdict>>();
  const verifyShared = (token: string, throttle: AuthThrottle | undefined): Promise<TokenVerdict> => {
    const digest = sha256(token).toString('hex');
    const joined = inFlight.get(digest);
    if (joined !== undefined) {
      return joined.then((verdict) => {
        if (!verdict.ok) throttle?.limiter.recordFailure(throttle.client);
        return verdict;
      });
    }
    const verdict = verifySlow(token, apiKeys, jwt, throttle);
    inFlight.set(digest, verdict);
    return verdict.finally(() => inFlight.delete(digest));
  };
  return {
    description: describe(apiKeys, jwt),
    authenticate: (header, throttle) => authenticate(header, apiKeys, jwt, throttle, verifyShared),
  };
}

/** Null when the principal holds the scope; otherwise the 403 to answer. */
export function requireScope(principal: Principal, scope: Scope): AuthFailure | null {
  return principal.scopes.has(scope) ? null : insufficientScope(scope);
}

async function authenticate(
  header: string | undefined,
  apiKeys: ApiKeyVerifier | null,
  jwt: JwtVerifier | null,
  throttle: AuthThrottle | undefined,
  verify: (token: string, throttle: AuthThrottle | undefined) => Promise<TokenVerdict>,
): Promise<AuthResult> {
  // No credentials at all cost nothing to refuse and are how the console learns it needs a token.
  if (header === undefined || header.trim() === '') return missingCredentials();
  const token = BEARER_PATTERN.exec(header)?.[1];
  const quick: TokenVerdict | null =
    token === undefined
      ? { ok: false, detail: MALFORMED_HEADER }
      : token.length > MAX_TOKEN_LENGTH
        ? { ok: false, detail: 'the token is too long' }
        : quickVerdict(token, apiKeys, jwt);
  if (quick?.ok === true) return quick;
  const retryAfterS = throttle?.limiter.retryAfterS(throttle.client) ?? null;
  if (retryAfterS !== null) return tooManyFailures(retryAfterS);
  // (token is undefined only when quick holds the refusal; the check narrows its type.)
  if (quick !== null || token === undefined) {
    throttle?.limiter.recordFailure(throttle.client);
    return invalidToken(quick?.detail ?? MALFORMED_HEADER);
  }
  const verdict = await verify(token, throttle);
  return verdict.ok ? verdict : invalidToken(verdict.detail);
}

// Our keys start with `et_`; a JWT starts with `eyJ` (base64url of `{"`), so the two never collide.
function quickVerdict(
  token: string,
  apiKeys: ApiKeyVerifier | null,
  jwt: JwtVerifier | null,
): TokenVerdict | null {
  if (token.startsWith(API_KEY_PREFIX)) {
    return apiKeys === null
      ? { ok: false, detail: 'API keys are not accepted by this service' }
      : apiKeys.quickVerdict(token);
  }
  if (looksLikeJwt(token)) {
    return jwt === null ? { ok: false, detail: 'JWTs are not accepted by this service' } : null;
  }
  return { ok: false, detail: 'the token is neither an API key nor a JWT' };
}

/** The verification quickVerdict could not decide (a scrypt, a signature), counted while it runs. */
async function verifySlow(
  token: string,
  apiKeys: ApiKeyVerifier | null,
  jwt: JwtVerifier | null,
  throttle: AuthThrottle | undefined,
): Promise<TokenVerdict> {
  throttle?.limiter.begin(throttle.client);
  // A verifier that throws failed on our side, not the client's: it is not counted as a failure.
  let failed = false;
  try {
    const verifier = token.startsWith(API_KEY_PREFIX) ? apiKeys : jwt;
    const verdict = await (verifier?.verify(token) ??
      Promise.resolve<TokenVerdict>({ ok: false, detail: 'the token is not accepted by this service' }));
    failed = !verdict.ok;
    return verdict;
  } finally {
    throttle?.limiter.settle(throttle.client, !failed);
  }
}

function describe(apiKeys: ApiKeyVerifier | null, jwt: JwtVerifier | null): string {
  const parts: string[] = [];
  if (apiKeys !== null) parts.push(`${apiKeys.keyCount} API key(s)`);
  if (jwt !== null) parts.push(`JWTs verified against ${jwt.keyCount} JWKS key(s)`);
  return `access control on: ${parts.join(' and ')}`;
}
