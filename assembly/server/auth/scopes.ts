// The three scopes of host/auth/scopes.ts as bits, and scopeForRoute of host/app/create-app.ts for
// the routes this server answers itself (paths as sent: the native routes' patterns are prefixes).

export const SCOPE_CAPTURE: i32 = 1;
export const SCOPE_QUERY: i32 = 2;
export const SCOPE_ADMIN: i32 = 4;
/** No scope needed: any authenticated principal. */
export const SCOPE_NONE: i32 = 0;

const NAMES: string[] = ['capture', 'query', 'admin'];

/** The bit of a scope name; 0 for anything else. */
export function scopeBit(name: string): i32 {
  for (let i = 0; i < NAMES.length; i++) if (unchecked(NAMES[i]) == name) return 1 << i;
  return 0;
}

export function scopeName(bit: i32): string {
  return bit == SCOPE_CAPTURE ? 'capture' : bit == SCOPE_QUERY ? 'query' : 'admin';
}

/** "capture, query, admin", as the Node service lists them in its messages. */
export function scopeList(): string {
  return NAMES.join(', ');
}

/**
 * The scope a routed request needs, as create-app.ts scopeForRoute decides it. `routed` is false
 * for what fastify answers from its not-found handler (OPTIONS and 405 on a known path): there is
 * no route URL then, and any authenticated principal passes.
 */
export function scopeForRoute(method: string, path: string, routed: bool): i32 {
  if (!routed || method == 'OPTIONS') return SCOPE_NONE;
  if (path.startsWith('/capture') || (method == 'POST' && path == '/events')) return SCOPE_CAPTURE;
  if (path.startsWith('/queries/') && path.includes('/subscriptions')) return SCOPE_ADMIN;
  if (path.startsWith('/queries') && (method == 'POST' || method == 'DELETE')) return SCOPE_ADMIN;
  return SCOPE_QUERY;
}
