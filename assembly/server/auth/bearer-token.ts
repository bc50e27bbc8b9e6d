// The bearer token of an Authorization header, as host/auth/authenticate.ts reads it:
// BEARER_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i (RFC 6750 §2.1, the scheme
// case-insensitive), on the value node hands over (surrounding whitespace already stripped).

function isTokenCharacter(c: i32): bool {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c == 0x2d ||
    c == 0x2e ||
    c == 0x5f ||
    c == 0x7e ||
    c == 0x2b ||
    c == 0x2f
  );
}

/** The token, or null when the header is not "Bearer <token>". */
export function bearerToken(header: string): string | null {
  if (header.length < 7 || header.substring(0, 6).toLowerCase() != 'bearer' || header.charCodeAt(6) != 0x20) {
    return null;
  }
  let start = 7;
  while (start < header.length && header.charCodeAt(start) == 0x20) start++;
  let end = header.length;
  while (end > start && header.charCodeAt(end - 1) == 0x20) end--;
  let i = start;
  while (i < end && isTokenCharacter(header.charCodeAt(i))) i++;
  if (i == start) return null;
  const tokenChars = i;
  while (i < end && header.charCodeAt(i) == 0x3d) i++;
  if (i != end) return null;
  return tokenChars > start ? header.substring(start, end) : null;
}
