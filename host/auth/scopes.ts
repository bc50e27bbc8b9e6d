// The three permissions a token can carry. They are independent: `admin` does not imply `capture`
// or `query`. OAuth 2.0 (RFC 6749 §3.3) defines no hierarchy between scopes and neither EPCIS nor
// our issue asks for one, so a principal that needs several is given several; implicit grants
// would make a leaked admin credential also a capture credential without anyone writing that down.

export const SCOPES = ['capture', 'query', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/**
 * Checks an operator-written scope list (key file entry, CLI flag). Returns the scopes or a
 * sentence saying what is wrong; the caller adds where it was written.
 */
export function parseScopeList(
  value: unknown,
): { ok: true; scopes: Scope[] } | { ok: false; problem: string } {
  if (!Array.isArray(value) || value.length === 0) {
    return { ok: false, problem: `must be a non-empty list of ${SCOPES.join(', ')}` };
  }
  const scopes: Scope[] = [];
  for (const item of value) {
    if (!isScope(item)) {
      const shown = typeof item === 'string' ? `'${item}'` : typeof item;
      return { ok: false, problem: `unknown scope ${shown} (expected ${SCOPES.join(', ')})` };
    }
    if (!scopes.includes(item)) scopes.push(item);
  }
  return { ok: true, scopes };
}
