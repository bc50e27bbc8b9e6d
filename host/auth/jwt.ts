import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { AuthConfigError } from './auth-config-error.js';
import { JWT_ALGORITHMS, readJwksFile } from './jwks-file.js';
import type { TokenVerdict } from './principal.js';
import { isScope, type Scope } from './scopes.js';

export interface JwtOptions {
  /** JWKS file with the identity provider's public keys; read once at start, no network. */
  file: string;
  /** Required `iss`. */
  issuer: string;
  /** Required `aud` (the token may list others too). */
  audience: string;
  /** Claim with the scopes: a space-delimited string (RFC 8693 `scope`) or an array (`scp`). */
  scopeClaim?: string;
  /** Allowed clock skew for `exp` and `nbf`; edge boxes' clocks drift. */
  clockToleranceS?: number;
}

export interface JwtVerifier {
  readonly keyCount: number;
  verify(token: string): Promise<TokenVerdict>;
}

const DEFAULT_SCOPE_CLAIM = 'scope';
const DEFAULT_CLOCK_TOLERANCE_S = 30;
const MAX_CLOCK_TOLERANCE_S = 300;
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Three dot-separated base64url parts: the JWS compact serialisation (RFC 7515 §7.1). */
export function looksLikeJwt(token: string): boolean {
  return JWT_PATTERN.test(token);
}

/** Checks the options and reads the JWKS file; throws AuthConfigError if they cannot be used. */
export async function loadJwtVerifier(options: JwtOptions): Promise<JwtVerifier> {
  const { file, issuer, audience } = options;
  const scopeClaim = options.scopeClaim ?? DEFAULT_SCOPE_CLAIM;
  const clockTolerance = options.clockToleranceS ?? DEFAULT_CLOCK_TOLERANCE_S;
  const fail = (problem: string): never => {
    throw new AuthConfigError(file, problem);
  };
  if (typeof issuer !== 'string' || issuer.trim() === '') fail('JWT verification needs an issuer (iss)');
  if (typeof audience !== 'string' || audience.trim() === '')
    fail('JWT verification needs an audience (aud)');
  if (typeof scopeClaim !== 'string' || scopeClaim === '') fail('the JWT scope claim name is empty');
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0 || clockTolerance > MAX_CLOCK_TOLERANCE_S) {
    fail(`JWT clock tolerance must be 0 to ${MAX_CLOCK_TOLERANCE_S} seconds`);
  }
  const jwks = await readJwksFile(file);
  const keySet = createLocalJWKSet(jwks);
  const verifyOptions = {
    issuer,
    audience,
    clockTolerance,
    algorithms: [...JWT_ALGORITHMS],
    requiredClaims: ['exp'],
  };

  return {
    keyCount: jwks.keys.length,
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, verifyOptions));
      } catch (error) {
        return { ok: false, detail: describeRejection(error) };
      }
      const id = subjectOf(payload);
      if (id === null) return { ok: false, detail: 'the token names no subject (sub)' };
      const scopes = scopesOf(payload[scopeClaim]);
      if (scopes === null)
        return { ok: false, detail: `the token's ${scopeClaim} claim is neither a string nor a list` };
      return { ok: true, principal: { id, scopes, kind: 'jwt' } };
    },
  };
}

// Client-credentials tokens of some providers carry the client in client_id or azp, not sub.
function subjectOf(payload: JWTPayload): string | null {
  for (const claim of ['sub', 'client_id', 'azp']) {
    const value = payload[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Our scopes named by the claim; others are ignored. A missing claim grants nothing. */
function scopesOf(claim: unknown): ReadonlySet<Scope> | null {
  if (claim === undefined) return new Set();
  const names = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : null;
  if (names === null) return null;
  return new Set(names.filter(isScope));
}

// Short, fixed sentences: they reach the client and the log, and must never quote the token.
function describeRejection(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `the token has no ${error.claim} claim`;
    if (error.claim === 'iss') return 'the token was issued by an issuer this service does not trust';
    if (error.claim === 'aud') return 'the token is meant for another audience';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'the token is signed with an algorithm this service does not accept';
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return 'no configured key matches the token';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEError) return 'the token is malformed';
  // Anything else is a fault of ours, not of the token: let it reach the error handler.
  throw error;
}
