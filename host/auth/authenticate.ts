import { API_KEY_PREFIX } from './api-key-format.js';
import { loadApiKeys, type ApiKeyVerifier } from './api-keys.js';
import { insufficientScope, invalidToken, missingCredentials } from './bearer-challenge.js';
import { loadJwtVerifier, looksLikeJwt, type JwtOptions, type JwtVerifier } from './jwt.js';
import type { AuthFailure, AuthResult, Principal, TokenVerdict } from './principal.js';
import type { Scope } from './scopes.js';

export interface AccessControlConfig {
  apiKeyFile?: string;
  jwks?: JwtOptions;
}

export interface Authenticator {
  /** What is configured, for the start-up log; never key material. */
  readonly description: string;
  authenticate(authorizationHeader: string | undefined): Promise<AuthResult>;
}

// RFC 6750 §2.1: `Bearer` (case-insensitive, RFC 9110 §11.1), one or more spaces, a b64token.
const BEARER_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
// Far above any real JWT; keeps a hostile header from reaching the parsers at all.
const MAX_TOKEN_LENGTH = 8192;

/**
 * Builds the authenticator from the configured key file and/or JWKS; throws AuthConfigError when
 * one of them cannot be used. Returns null when neither is configured: open mode, which the caller
 * may only serve on loopback (see listenAddressFor).
 */
export async function createAuthenticator(config: AccessControlConfig): Promise<Authenticator | null> {
  const apiKeys = config.apiKeyFile === undefined ? null : await loadApiKeys(config.apiKeyFile);
  const jwt = config.jwks === undefined ? null : await loadJwtVerifier(config.jwks);
  if (apiKeys === null && jwt === null) return null;
  return {
    description: describe(apiKeys, jwt),
    authenticate: (header) => authenticate(header, apiKeys, jwt),
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
): Promise<AuthResult> {
  if (header === undefined || header.trim() === '') return missingCredentials();
  const token = BEARER_PATTERN.exec(header)?.[1];
  if (token === undefined) {
    return invalidToken('the Authorization header must be "Bearer <token>"');
  }
  if (token.length > MAX_TOKEN_LENGTH) return invalidToken('the token is too long');
  const verdict = await verifyToken(token, apiKeys, jwt);
  return verdict.ok ? verdict : invalidToken(verdict.detail);
}

// Our keys start with `et_`; a JWT starts with `eyJ` (base64url of `{"`), so the two never collide.
async function verifyToken(
  token: string,
  apiKeys: ApiKeyVerifier | null,
  jwt: JwtVerifier | null,
): Promise<TokenVerdict> {
  if (token.startsWith(API_KEY_PREFIX)) {
    return apiKeys === null
      ? { ok: false, detail: 'API keys are not accepted by this service' }
      : apiKeys.verify(token);
  }
  if (looksLikeJwt(token)) {
    return jwt === null ? { ok: false, detail: 'JWTs are not accepted by this service' } : jwt.verify(token);
  }
  return { ok: false, detail: 'the token is neither an API key nor a JWT' };
}

function describe(apiKeys: ApiKeyVerifier | null, jwt: JwtVerifier | null): string {
  const parts: string[] = [];
  if (apiKeys !== null) parts.push(`${apiKeys.keyCount} API key(s)`);
  if (jwt !== null) parts.push(`JWTs verified against ${jwt.keyCount} JWKS key(s)`);
  return `access control on: ${parts.join(' and ')}`;
}
