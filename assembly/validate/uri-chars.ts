// Character classes of RFC 3986 as ajv-formats' full-mode `uri` regex spells them (ASCII only, letters
// in either case, since that regex carries the `i` flag). One table lookup per character keeps URI
// checks linear and allocation-free; every EPC, location and vocabulary value goes through them.

export const ALPHA: u8 = 1;
/** Letters, digits, `+`, `-`, `.`: the characters after a scheme's first letter. */
export const SCHEME: u8 = 2;
/** unreserved + sub-delims: the characters of a reg-name. */
export const REG_NAME: u8 = 4;
/** A reg-name character or `:` — what userinfo allows. */
export const USERINFO: u8 = 8;
/** pchar: a path segment character (pct-encoding aside). */
export const PCHAR: u8 = 16;
/** A pchar or `/`: anything a hierarchical part may hold outside an IP literal. */
export const PATH: u8 = 32;
/** A pchar, `/` or `?`: query and fragment characters. */
export const QUERY: u8 = 64;
export const HEX: u8 = 128;

const TABLE = new StaticArray<u8>(128);

function mark(chars: string, bits: u8): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    TABLE[c] = TABLE[c] | bits;
  }
}

function fill(): void {
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const digits = '0123456789';
  const subDelims = "-._~!$&'()*+,;=";
  const regName = lower + upper + digits + subDelims;
  mark(lower + upper, ALPHA);
  mark(lower + upper + digits + '+-.', SCHEME);
  mark(regName, REG_NAME | USERINFO | PCHAR | PATH | QUERY);
  mark(':', USERINFO | PCHAR | PATH | QUERY);
  mark('@', PCHAR | PATH | QUERY);
  mark('/', PATH | QUERY);
  mark('?', QUERY);
  mark(digits + 'abcdefABCDEF', HEX);
}
fill();

/** Reads one UTF-16 unit; `i` must be within the string (callers loop below `length`). */
export function codeAt(s: string, i: i32): i32 {
  return <i32>load<u16>(changetype<usize>(s) + ((<usize>i) << 1));
}

/** True when the UTF-16 unit `c` belongs to one of the classes in `bits`; non-ASCII never does. */
export function isClass(c: i32, bits: u8): bool {
  return c < 128 && (unchecked(TABLE[c]) & bits) != 0;
}

/** True when `s[i..i+3)` is a percent-encoded octet (`%` already seen at `i`). */
export function isPctEncoded(s: string, i: i32, end: i32): bool {
  return i + 2 < end && isClass(codeAt(s, i + 1), HEX) && isClass(codeAt(s, i + 2), HEX);
}
