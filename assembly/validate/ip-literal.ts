// The bracketed host of a URI authority (`[v6 address]` or `[vF.future]`), checked the way
// ajv-formats' `uri` regex does: RFC 3986 IPv6address (at most one `::`, an IPv4 tail only as the
// last 32 bits, dotted octets of one to three digits up to 255) and IPvFuture.
import { codeAt, HEX, isClass, USERINFO } from './uri-chars';

const COLON = 58;
const DOT = 46;

/** True when `s[start..end)` is a dotted-decimal IPv4 address. */
function isIpv4(s: string, start: i32, end: i32): bool {
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= end || codeAt(s, i) != DOT) return false;
      i++;
    }
    let value = 0;
    const from = i;
    while (i < end && i - from < 3) {
      const d = codeAt(s, i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      i++;
    }
    if (i == from || value > 255) return false;
  }
  return i == end;
}

/** True when `s[start..end)` is an RFC 3986 IPv6address. */
function isIpv6(s: string, start: i32, end: i32): bool {
  let i = start;
  let pieces = 0;
  let compressed = false;
  if (end - start >= 2 && codeAt(s, i) == COLON && codeAt(s, i + 1) == COLON) {
    compressed = true;
    i += 2;
  }
  while (i < end) {
    const from = i;
    while (i < end && isClass(codeAt(s, i), HEX)) i++;
    if (i < end && codeAt(s, i) == DOT) {
      // An IPv4 tail stands for the last two 16-bit pieces and must end the address.
      if (!isIpv4(s, from, end)) return false;
      pieces += 2;
      i = end;
      break;
    }
    if (i == from || i - from > 4) return false;
    pieces++;
    if (i == end) break;
    if (codeAt(s, i) != COLON) return false;
    i++;
    if (i < end && codeAt(s, i) == COLON) {
      if (compressed) return false;
      compressed = true;
      i++;
    } else if (i == end) {
      return false;
    }
  }
  return compressed ? pieces <= 7 : pieces == 8;
}

/** True when `s[start..end)` is `v` HEXDIG+ `.` (unreserved / sub-delims / `:`)+. */
function isIpvFuture(s: string, start: i32, end: i32): bool {
  let i = start + 1;
  while (i < end && isClass(codeAt(s, i), HEX)) i++;
  if (i == start + 1 || i >= end || codeAt(s, i) != DOT) return false;
  i++;
  if (i == end) return false;
  for (; i < end; i++) if (!isClass(codeAt(s, i), USERINFO)) return false;
  return true;
}

/** True when `s[start..end)`, the text between `[` and `]`, is an IP literal. */
export function isIpLiteral(s: string, start: i32, end: i32): bool {
  if (start >= end) return false;
  const first = codeAt(s, start);
  if (first == 118 || first == 86) return isIpvFuture(s, start, end);
  return isIpv6(s, start, end);
}
