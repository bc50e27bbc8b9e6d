import type { Scope } from './scopes.js';

/** Who made a request, as established from its bearer token. */
export interface Principal {
  /** Key file id for API keys; `sub` (or `client_id`/`azp`) for JWTs. Safe to log. */
  readonly id: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly kind: 'api-key' | 'jwt';
}

/** A refusal, ready for the HTTP layer: status, problem detail and the RFC 6750 challenge. */
export interface AuthFailure {
  readonly ok: false;
  readonly status: 401 | 403 | 429;
  readonly detail: string;
  /** RFC 6750 challenge; absent on 429, which refuses the client, not its token. */
  readonly wwwAuthenticate?: string;
  /** Whole seconds before the client may try again (429). */
  readonly retryAfterS?: number;
}

export type AuthResult = { readonly ok: true; readonly principal: Principal } | AuthFailure;

/** What one token verifier concludes; the authenticator turns a rejection into a 401 challenge. */
export type TokenVerdict =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly detail: string };
