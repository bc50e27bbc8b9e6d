// A cursor over JSON bytes for the replay's state-entry reader (state-entry-reader.ts): reads the
// few value forms the entry holds without building values. One cursor (module globals): replay
// reads one entry at a time. `failed` is set by any read that met something else and is checked
// once per entry.
import { parseJson, ParseLimits } from '../../json/parser';
import { JsonValue } from '../../json/value';

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;
const escapedLimits = new ParseLimits();

let at: usize = 0;
let end: usize = 0;
/** Set by any read that met something other than the layout; checked once per entry. */
let failed = false;

function skipSpace(): void {
  while (at < end) {
    const c = load<u8>(at);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
    at++;
  }
}

export function take(c: u8): void {
  skipSpace();
  if (at < end && load<u8>(at) == c) at++;
  else failed = true;
}

export function takeWord(word: string): bool {
  skipSpace();
  const n = word.length;
  if (at + <usize>n > end) return false;
  for (let i = 0; i < n; i++) if (<i32>load<u8>(at + <usize>i) != word.charCodeAt(i)) return false;
  at += <usize>n;
  return true;
}

/** A JSON string: decoded directly when it holds no escape, by the core's parser when it does. */
export function readString(): string {
  skipSpace();
  if (at >= end || load<u8>(at) != QUOTE) {
    failed = true;
    return '';
  }
  const start = at;
  let escaped = false;
  at++;
  while (at < end) {
    const c = load<u8>(at);
    if (c == QUOTE) break;
    if (c == BACKSLASH) {
      escaped = true;
      at++;
    }
    at++;
  }
  if (at >= end) {
    failed = true;
    return '';
  }
  at++;
  if (!escaped) return String.UTF8.decodeUnsafe(start + 1, at - start - 2);
  const value: JsonValue | null = parseJson(start, <i32>(at - start), escapedLimits).value;
  const text: string | null = value === null ? null : value.asString();
  if (text === null) {
    failed = true;
    return '';
  }
  return text;
}

export function readNullableString(): string | null {
  skipSpace();
  if (takeWord('null')) return null;
  return readString();
}

/** An integer as JSON writes it (optional minus, at most 18 digits); `null` only when `nullable`. */
export function readInteger(nullable: bool): i64 {
  skipSpace();
  if (takeWord('null')) {
    if (!nullable) failed = true;
    return 0;
  }
  const negative = at < end && load<u8>(at) == 0x2d;
  if (negative) at++;
  const first = at;
  let value: i64 = 0;
  while (at < end) {
    const d = <i32>load<u8>(at) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    at++;
  }
  if (at == first || at - first > 18) failed = true;
  return negative ? -value : value;
}

function hexValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Reads the 32-byte digest of `"ni:///sha-256;<64 hex>?ver=…"` into `digest` without a string. */
export function readDigest(digest: usize): void {
  skipSpace();
  if (at >= end || load<u8>(at) != QUOTE) {
    failed = true;
    return;
  }
  at++;
  while (at < end && load<u8>(at) != 0x3b && load<u8>(at) != QUOTE) at++;
  if (at + 65 > end || load<u8>(at) != 0x3b) {
    failed = true;
    return;
  }
  at++;
  for (let i = 0; i < 32; i++) {
    const hi = hexValue(load<u8>(at + 2 * <usize>i));
    const lo = hexValue(load<u8>(at + 2 * <usize>i + 1));
    if (hi < 0 || lo < 0) failed = true;
    store<u8>(digest + <usize>i, <u8>((hi << 4) | lo));
  }
  while (at < end && load<u8>(at) != QUOTE) at++;
  take(QUOTE);
}

export function begin(ptr: usize, length: i32): void {
  at = ptr;
  end = ptr + <usize>length;
  failed = false;
}

export function fail(): void {
  failed = true;
}

export function failedRead(): bool {
  return failed;
}

/** Takes `c` when it comes next (after whitespace); false otherwise, without failing. */
export function takeIf(c: u8): bool {
  skipSpace();
  if (at >= end || load<u8>(at) != c) return false;
  at++;
  return true;
}

/** Whether every byte was read (trailing whitespace aside) and nothing failed. */
export function readWhole(): bool {
  skipSpace();
  return !failed && at == end;
}
