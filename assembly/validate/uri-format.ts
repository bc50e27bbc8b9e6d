// `format: "uri"` exactly as ajv-formats (full mode) judges it: an absolute URI per RFC 3986 —
// `scheme ":" hier-part ["?" query] ["#" fragment]` — where a CURIE such as `example:myField` or
// `gs1:Temperature` counts as a URI whose scheme is the prefix. Read from the regex in
// node_modules/ajv-formats/dist/formats.js; what it implies:
// - the hier-part must be non-empty (`urn:` alone is not a URI);
// - outside an IP literal the hier-part may hold any pchars and `/`, in any order, because the
//   regex's `\/?\/` authority branch also matches an empty host followed by a path;
// - `[` and `]` appear only around an IP literal right after `/` or `//` and optional `userinfo@`,
//   followed by an optional `:port` and a path that starts with `/`;
// - every `%` starts a two-hex-digit escape; non-ASCII, spaces, `"`, `<`, `>`, `\`, `^`, `` ` ``,
//   `{`, `|`, `}` are never allowed; a second `#` is not allowed.
import { isIpLiteral } from './ip-literal';
import { ALPHA, codeAt, isClass, isPctEncoded, PATH, QUERY, SCHEME, USERINFO } from './uri-chars';

const PERCENT = 37;
const SLASH = 47;
const COLON = 58;
const QUESTION = 63;
const HASH = 35;
const AT = 64;
const OPEN = 91;
const CLOSE = 93;

/** True when `s` is a URI under ajv-formats' full-mode `uri` format. */
export function isUri(s: string): bool {
  const n = s.length;
  if (n < 2 || !isClass(codeAt(s, 0), ALPHA)) return false;
  let i = 1;
  while (i < n && codeAt(s, i) != COLON) {
    if (!isClass(codeAt(s, i), SCHEME)) return false;
    i++;
  }
  if (i >= n) return false;
  const hierStart = ++i;
  let bracketed = false;
  while (i < n) {
    const c = codeAt(s, i);
    // Nearly every character is a plain path character: one table lookup decides it.
    if (isClass(c, PATH)) {
      i++;
    } else if (c == PERCENT) {
      if (!isPctEncoded(s, i, n)) return false;
      i += 3;
    } else if (c == OPEN || c == CLOSE) {
      bracketed = true;
      i++;
    } else if (c == QUESTION || c == HASH) {
      break;
    } else {
      return false;
    }
  }
  if (i == hierStart) return false;
  if (bracketed && !isIpLiteralAuthority(s, hierStart, i)) return false;
  if (i < n && codeAt(s, i) == QUESTION) i = skipQueryChars(s, i + 1, n);
  // A query stops at `#`; a fragment stops at nothing, so a second `#` leaves `i` short of `n`.
  if (i < n && codeAt(s, i) == HASH) i = skipQueryChars(s, i + 1, n);
  return i == n;
}

/** Index of the first character from `i` that is not a query/fragment character or valid escape. */
function skipQueryChars(s: string, i: i32, n: i32): i32 {
  while (i < n) {
    const c = codeAt(s, i);
    if (c == PERCENT) {
      if (!isPctEncoded(s, i, n)) return i;
      i += 3;
    } else if (isClass(c, QUERY)) {
      i++;
    } else {
      return i;
    }
  }
  return i;
}

/**
 * The hier-part `s[start..end)` holds a bracket, so it must be `/` or `//`, optional `userinfo@`,
 * `[IP-literal]`, optional `:digits`, then an optional path starting with `/`. The caller has
 * already checked that every other character is a pchar, `/` or a valid `%` escape.
 */
function isIpLiteralAuthority(s: string, start: i32, end: i32): bool {
  if (codeAt(s, start) != SLASH) return false;
  let i = start + 1;
  if (i < end && codeAt(s, i) == SLASH) i++;
  let j = i;
  while (j < end) {
    const c = codeAt(s, j);
    if (c == PERCENT) j += 3;
    else if (isClass(c, USERINFO)) j++;
    else break;
  }
  if (j < end && codeAt(s, j) == AT) i = j + 1;
  if (i >= end || codeAt(s, i) != OPEN) return false;
  const open = i;
  i++;
  while (i < end && codeAt(s, i) != CLOSE) i++;
  if (i >= end || !isIpLiteral(s, open + 1, i)) return false;
  i++;
  if (i < end && codeAt(s, i) == COLON) {
    i++;
    while (i < end && <u32>(codeAt(s, i) - 48) <= 9) i++;
  }
  if (i < end && codeAt(s, i) != SLASH) return false;
  for (; i < end; i++) {
    const c = codeAt(s, i);
    if (c == OPEN || c == CLOSE) return false;
  }
  return true;
}
