// nextPageToken: base64url(JSON {keyset position, rows returned so far, query fingerprint, expiry})
// "." base64url(HMAC-SHA256 of that text). The signature stops clients from forging positions (or the
// returned-so-far count that enforces eventCountLimit); the fingerprint ties a token to the query it
// was issued for; the expiry bounds how long a position is honoured. Tokens hold no server state, so
// they survive restarts and need no cleanup; a new signing key invalidates all outstanding ones.
import type { EventQuery, PageKey, QueryParameterProblem } from './event-query.js';
import { queryFingerprint } from './query-fingerprint.js';
import { decodeTokenBody, signToken, verifiedTokenBody } from './signed-token.js';

export interface PageTokenSigning {
  /** HMAC key; at least 32 random bytes, from config. */
  secret: Uint8Array;
  nowMs: number;
}

export type OpenedPageToken =
  { ok: true; key: PageKey; expiresAtMs: number } | { ok: false; problem: QueryParameterProblem };

interface Payload {
  v: 1;
  k: number | string | null;
  s: number;
  n: number;
  f: string;
  x: number;
}

const MIN_SECRET_BYTES = 32;

export function issuePageToken(
  key: PageKey,
  query: EventQuery,
  signing: PageTokenSigning & { ttlMs: number },
): { token: string; expiresAtMs: number } {
  const expiresAtMs = signing.nowMs + signing.ttlMs;
  const payload: Payload = {
    v: 1,
    k: key.sortValue,
    s: key.seq,
    n: key.returned,
    f: queryFingerprint(query),
    x: expiresAtMs,
  };
  requireSecretLength(signing.secret);
  return { token: signToken(payload, signing.secret), expiresAtMs };
}

/** Verifies a token against the query it arrived with; any doubt is a QueryParameterException. */
export function openPageToken(token: string, query: EventQuery, signing: PageTokenSigning): OpenedPageToken {
  requireSecretLength(signing.secret);
  const body = verifiedTokenBody(token, signing.secret);
  if (body === null) {
    return refuse(
      'is not a page token this server issued; start again from the first page without nextPageToken',
    );
  }
  const payload = decode(body);
  if (payload === null)
    return refuse('is not a page token this server issued; start again from the first page');
  if (payload.f !== queryFingerprint(query)) {
    return refuse(
      'belongs to a query with different parameters; keep every other parameter as it was on the first page',
    );
  }
  if (payload.x <= signing.nowMs) {
    return refuse(`expired at ${new Date(payload.x).toISOString()}; run the query again from the first page`);
  }
  return {
    ok: true,
    key: { sortValue: payload.k, seq: payload.s, returned: payload.n },
    expiresAtMs: payload.x,
  };
}

/** The GS1-Next-Page-Token-Expires header value for a token this server issued. */
export function pageTokenExpiresHeader(token: string): string | null {
  const payload = decode(token.split('.')[0] ?? '');
  return payload === null ? null : new Date(payload.x).toISOString();
}

function requireSecretLength(secret: Uint8Array): void {
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new RangeError(`page token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
}

function decode(body: string): Payload | null {
  const p = decodeTokenBody(body);
  if (p === null) return null;
  const k = p['k'];
  const valid =
    p['v'] === 1 &&
    (k === null || typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))) &&
    Number.isSafeInteger(p['s']) &&
    Number.isSafeInteger(p['n']) &&
    (p['n'] as number) >= 0 &&
    typeof p['f'] === 'string' &&
    Number.isSafeInteger(p['x']);
  return valid ? (p as unknown as Payload) : null;
}

function refuse(phrase: string): { ok: false; problem: QueryParameterProblem } {
  return {
    ok: false,
    problem: {
      type: 'QueryParameterException',
      parameter: 'nextPageToken',
      detail: `nextPageToken ${phrase}.`,
    },
  };
}
