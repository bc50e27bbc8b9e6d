// Values that are not containers: strings, numbers and the three literals. Each becomes its node
// with exact byte offsets; a byte that cannot start a value gets an error naming the likely cause.

import { decimalToF64 } from './decimal-to-f64';
import { scanNumber, scanned } from './number-text';
import { describeByte, fail } from './parse-failure';
import { readString, readText } from './read-string';
import { valueCache } from './string-cache';
import { JsonKind, JsonNumber, JsonString, JsonValue } from './value';

let lastScalar: JsonValue = new JsonValue(JsonKind.Null, 0, 0);

/** The node made by the last successful readScalar. */
export function readNode(): JsonValue {
  return lastScalar;
}

/** Reads the scalar at `p` (p < end); returns the address after it, or 0. Offsets count from `base`. */
export function readScalar(p: usize, end: usize, base: usize, maxBytes: i32): usize {
  const c = <u32>load<u8>(p);
  const start = <i32>(p - base);
  if (c == 0x22) {
    const q = readString(p, end, maxBytes, false);
    if (q) lastScalar = new JsonString(readText(), start, <i32>(q - base));
    return q;
  }
  if (c == 0x2d || c - 0x30 <= 9) {
    const q = scanNumber(p, end);
    if (!q) return 0;
    const n = <i32>(q - p);
    if (n > maxBytes) {
      return fail(
        p,
        'a number longer than ' + maxBytes.toString() + ' bytes (the maxStringBytes limit) starts',
      );
    }
    const magnitude = decimalToF64(scanned.mantissa, scanned.exponent, scanned.truncated, p, q);
    const value = scanned.negative ? -magnitude : magnitude;
    lastScalar = new JsonNumber(valueCache.get(p, n, end), value, scanned.isInteger, start, start + n);
    return q;
  }
  // Little-endian words of the literal texts: 'true', 'fals', 'null'.
  if (c == 0x74) return literal(p, end, base, 0x65757274, 4, JsonKind.True, "'true'");
  if (c == 0x66) {
    if (end - p >= 5 && load<u8>(p, 4) != 0x65) return fail(p, "invalid literal: expected 'false'");
    return literal(p, end, base, 0x736c6166, 5, JsonKind.False, "'false'");
  }
  if (c == 0x6e) return literal(p, end, base, 0x6c6c756e, 4, JsonKind.Null, "'null'");
  return fail(p, notAValue(c, p, end));
}

function literal(
  p: usize,
  end: usize,
  base: usize,
  word: u32,
  n: usize,
  kind: JsonKind,
  name: string,
): usize {
  if (end - p < n || load<u32>(p) != word) return fail(p, 'invalid literal: expected ' + name);
  lastScalar = new JsonValue(kind, <i32>(p - base), <i32>(p + n - base));
  return p + n;
}

function notAValue(c: u32, p: usize, end: usize): string {
  switch (c) {
    case 0x4e:
      return 'NaN is not allowed in JSON';
    case 0x49:
      return 'Infinity is not allowed in JSON';
    case 0x27:
      return 'strings must use double quotes, not single quotes';
    case 0x2f:
      return 'comments are not allowed in JSON';
    case 0x2b:
      return "numbers must not start with '+'";
    case 0x2e:
      return 'numbers must start with a digit (write 0.5, not .5)';
    default:
      return 'expected a JSON value but found ' + describeByte(p, end);
  }
}
