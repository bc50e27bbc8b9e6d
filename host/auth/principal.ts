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
  readonly status: 401 | 403;
  readonly detail: string;
  readonly wwwAuthenticate: string;
}

export type AuthResult = { readonly ok: true; readonly principal: Principal } | AuthFailure;

/** What one token verifier concludes; the authenticator turns a rejection into a 401 challenge. */
export type TokenVerdict =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly detail: string };
