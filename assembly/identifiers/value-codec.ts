// Copies one AI value from an EPC URN component or a DL path segment into the canonical form. The
// value is decoded (escapes of either hex case, or raw characters the source syntax allows) and then
// re-encoded one way only: letters, digits and `-._` raw, every other character as `%XX` with upper-case
// hex. So `a%2fb` and `a%2Fb` from a URN, or `a!b` and `a%21b` from a DL, come out identical.
import { CANON_RAW, charClass, hexValue } from './ai-chars';
import { put } from './dl-writer';

export const BAD_ESCAPE = -1;
export const OUTSIDE_SET = -2;
export const MUST_ESCAPE = -3;

const HEX = '0123456789ABCDEF';
let offending: i32 = 0;

/**
 * Writes the canonical encoding of `s[start..end)` and returns how many characters the value has once
 * decoded, or BAD_ESCAPE / OUTSIDE_SET / MUST_ESCAPE. `raw` is the flag of characters the source syntax
 * allows unescaped (URN_RAW or PATH_RAW); `set` is CS82 or CS39.
 */
export function copyValue(s: string, start: i32, end: i32, raw: u8, set: u8): i32 {
  let n = 0;
  let i = start;
  while (i < end) {
    let c = s.charCodeAt(i);
    if (c == 37) {
      const hi = i + 2 < end ? hexValue(s.charCodeAt(i + 1)) : -1;
      const lo = hi >= 0 ? hexValue(s.charCodeAt(i + 2)) : -1;
      if (lo < 0) {
        offending = c;
        return BAD_ESCAPE;
      }
      c = (hi << 4) | lo;
      i += 3;
    } else {
      const flags = charClass(c);
      if ((flags & raw) == 0) {
        offending = c;
        return (flags & set) != 0 ? MUST_ESCAPE : OUTSIDE_SET;
      }
      i++;
    }
    const flags = charClass(c);
    if ((flags & set) == 0) {
      offending = c;
      return OUTSIDE_SET;
    }
    if ((flags & CANON_RAW) != 0) {
      put(c);
    } else {
      put(37);
      put(HEX.charCodeAt(c >> 4));
      put(HEX.charCodeAt(c & 15));
    }
    n++;
  }
  return n;
}

function quoted(c: i32): string {
  if (c > 32 && c < 127) return "'" + String.fromCharCode(c) + "'";
  return 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
}

/** One sentence for a negative result of copyValue, e.g. "SGTIN serial contains '@', which …". */
export function valueProblem(code: i32, what: string, setName: string): string {
  if (code == BAD_ESCAPE) return what + " has a '%' that is not followed by two hexadecimal digits";
  if (code == MUST_ESCAPE)
    return what + ' contains an unescaped ' + quoted(offending) + ', which must be percent-encoded';
  return what + ' contains ' + quoted(offending) + ', which is outside the ' + setName;
}

export const SET_82 = 'GS1 AI encodable character set 82';
export const SET_39 = 'CPID character set 39 (digits, upper-case letters, #, -, /)';
