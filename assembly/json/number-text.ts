// JSON numbers (RFC 8259 §6): the grammar check and the decimal parts the conversion needs, in one
// pass over the digits.

import { describeByte, fail } from './parse-failure';

/** What scanNumber found: value = ±(mantissa, plus a nonzero tail when truncated) × 10^exponent. */
export class ScannedNumber {
  negative: bool = false;
  /** No fraction and no exponent were written. */
  isInteger: bool = true;
  /** The first 19 significant digits. */
  mantissa: u64 = 0;
  exponent: i32 = 0;
  /** Nonzero digits after the 19th significant one were dropped from `mantissa`. */
  truncated: bool = false;
}

export const scanned = new ScannedNumber();

function digitAt(p: usize): u32 {
  return <u32>load<u8>(p) - 0x30;
}

/** Scans the number starting at `p` ('-' or a digit). Returns the address after it, or 0. */
export function scanNumber(p: usize, end: usize): usize {
  let s = p;
  const negative = load<u8>(s) == 0x2d;
  if (negative) {
    s++;
    if (s < end && load<u8>(s) == 0x49) return fail(p, '-Infinity is not allowed in JSON');
    if (s >= end || digitAt(s) > 9)
      return fail(s, "expected a digit after '-' but found " + describeByte(s, end));
  }
  let mantissa: u64 = 0;
  let digits = 0;
  let exponent: i64 = 0;
  let truncated = false;
  let isInteger = true;
  if (load<u8>(s) == 0x30) {
    s++;
    if (s < end && digitAt(s) <= 9) return fail(p, 'leading zeros are not allowed in numbers');
  } else {
    for (; s < end; s++) {
      const d = digitAt(s);
      if (d > 9) break;
      if (digits < 19) {
        mantissa = mantissa * 10 + d;
        digits++;
      } else {
        exponent++;
        if (d != 0) truncated = true;
      }
    }
  }
  if (s < end && load<u8>(s) == 0x2e) {
    isInteger = false;
    s++;
    if (s >= end || digitAt(s) > 9) {
      return fail(s, 'expected a digit after the decimal point but found ' + describeByte(s, end));
    }
    for (; s < end; s++) {
      const d = digitAt(s);
      if (d > 9) break;
      if (digits < 19) {
        if (mantissa != 0 || d != 0) {
          mantissa = mantissa * 10 + d;
          digits++;
        }
        exponent--;
      } else if (d != 0) {
        truncated = true;
      }
    }
  }
  if (s < end && (load<u8>(s) | 0x20) == 0x65) {
    isInteger = false;
    s++;
    let negativeExponent = false;
    if (s < end && (load<u8>(s) == 0x2d || load<u8>(s) == 0x2b)) negativeExponent = load<u8>(s++) == 0x2d;
    if (s >= end || digitAt(s) > 9) {
      return fail(s, 'expected a digit in the exponent but found ' + describeByte(s, end));
    }
    let written: i64 = 0;
    for (; s < end; s++) {
      const d = digitAt(s);
      if (d > 9) break;
      if (written < 1_000_000_000) written = written * 10 + d;
    }
    exponent += negativeExponent ? -written : written;
  }
  scanned.negative = negative;
  scanned.isInteger = isInteger;
  scanned.mantissa = mantissa;
  scanned.exponent = <i32>min(max(exponent, -2_000_000_000), 2_000_000_000);
  scanned.truncated = truncated;
  return s;
}
