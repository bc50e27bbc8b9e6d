// Numeric canonicalisation of the CBV 2.0 pre-hash, exactly as the reference generator computes it
// (hash_generator.py _try_format_numeric): any value Python's Decimal() accepts becomes
// - a whole number: str(d.to_integral_value()), so "10.0" → 10, "-0.0" → -0, but "1E3" → 1E+3
//   (a positive exponent survives) and "1.0E2" → 1.0E+2;
// - otherwise format(d.normalize(), 'f') under the default 28-digit context: "26.20" → 26.2,
//   "1e-7" → 0.0000001.
// It applies to JSON numbers (after Python's str(float)) and to numeric-looking strings, in
// standard fields and extensions alike ("23.0" → 23 in vector AggregationEvent_all_possible_fields).

/** A finite decimal: (-1)^negative × coefficient × 10^exponent, coefficient without leading zeros. */
export class DecimalParts {
  negative: bool = false;
  coefficient: string = '0';
  exponent: i64 = 0;
}

// Exponents beyond this would make Python print thousands of zeros; such text stays as written.
const MAX_EXPONENT: i64 = 4096;
const PRECISION = 28;

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

/** Reads a run of ASCII digits into `out`; returns its end. */
function digitRun(s: string, i: i32, out: Array<string>): i32 {
  const start = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  out.push(s.substring(start, i));
  return i;
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) == 48) i++;
  return i == 0 ? digits : digits.substring(i);
}

/** Parses Python Decimal syntax (ASCII digits, no underscores); null for anything else, inf/NaN included. */
export function parseDecimal(s: string): DecimalParts | null {
  const n = s.length;
  let i = 0;
  const parts = new DecimalParts();
  if (i < n && (s.charCodeAt(i) == 43 || s.charCodeAt(i) == 45)) {
    parts.negative = s.charCodeAt(i) == 45;
    i++;
  }
  const runs = new Array<string>();
  i = digitRun(s, i, runs);
  let fraction = '';
  if (i < n && s.charCodeAt(i) == 46) {
    i = digitRun(s, i + 1, runs);
    fraction = runs[1];
  }
  const whole = runs[0];
  if (whole.length + fraction.length == 0) return null;
  let exponent: i64 = 0;
  if (i < n && (s.charCodeAt(i) | 32) == 101) {
    i++;
    let expNegative = false;
    if (i < n && (s.charCodeAt(i) == 43 || s.charCodeAt(i) == 45)) {
      expNegative = s.charCodeAt(i) == 45;
      i++;
    }
    const expRuns = new Array<string>();
    i = digitRun(s, i, expRuns);
    const expDigits = stripLeadingZeros(expRuns[0]);
    if (expDigits.length == 0 || expDigits.length > 6) return null;
    for (let k = 0; k < expDigits.length; k++) exponent = exponent * 10 + <i64>(expDigits.charCodeAt(k) - 48);
    if (expNegative) exponent = -exponent;
  }
  if (i != n) return null;
  parts.coefficient = stripLeadingZeros(whole + fraction);
  parts.exponent = exponent - <i64>fraction.length;
  return parts;
}

function zeros(count: i64): string {
  return '0'.repeat(<i32>count);
}

function trailingZeros(digits: string): i32 {
  let count = 0;
  for (let i = digits.length - 1; i > 0 && digits.charCodeAt(i) == 48; i--) count++;
  return count;
}

/** Rounds the coefficient half-to-even to PRECISION digits, as Decimal.normalize() does. */
function roundToPrecision(parts: DecimalParts): void {
  const digits = parts.coefficient;
  const drop = digits.length - PRECISION;
  if (drop <= 0) return;
  let kept = digits.substring(0, PRECISION);
  const first = digits.charCodeAt(PRECISION) - 48;
  let roundUp = first > 5;
  if (first == 5) {
    let tailNonZero = false;
    for (let i = PRECISION + 1; i < digits.length; i++) if (digits.charCodeAt(i) != 48) tailNonZero = true;
    roundUp = tailNonZero || (kept.charCodeAt(PRECISION - 1) - 48) % 2 == 1;
  }
  parts.exponent += <i64>drop;
  if (!roundUp) {
    parts.coefficient = kept;
    return;
  }
  const carried = new Array<i32>(PRECISION);
  let carry = 1;
  for (let i = PRECISION - 1; i >= 0; i--) {
    const d = kept.charCodeAt(i) - 48 + carry;
    carry = d == 10 ? 1 : 0;
    unchecked((carried[i] = d == 10 ? 48 : d + 48));
  }
  kept = String.fromCharCodes(carried);
  parts.coefficient = carry == 1 ? '1' + kept.substring(0, PRECISION - 1) : kept;
  if (carry == 1) parts.exponent += 1;
}

/** Python's canonical text for a parsed Decimal (see the file comment), or null if absurdly large. */
export function formatDecimal(parts: DecimalParts): string | null {
  if (parts.exponent > MAX_EXPONENT || parts.exponent < -MAX_EXPONENT) return null;
  const sign = parts.negative ? '-' : '';
  const digits = parts.coefficient;
  const exponent = parts.exponent;
  const isZero = digits == '0';
  if (isZero || exponent >= 0 || <i64>trailingZeros(digits) >= -exponent) {
    if (exponent == 0) return sign + digits;
    if (exponent > 0) {
      const rest = digits.length > 1 ? '.' + digits.substring(1) : '';
      return sign + digits.substring(0, 1) + rest + 'E+' + (<i64>digits.length - 1 + exponent).toString();
    }
    return sign + (isZero ? '0' : digits.substring(0, digits.length - <i32>-exponent));
  }
  roundToPrecision(parts);
  let coefficient = parts.coefficient;
  const tz = trailingZeros(coefficient);
  coefficient = coefficient.substring(0, coefficient.length - tz);
  const scaled = parts.exponent + <i64>tz;
  if (scaled >= 0) return sign + coefficient + zeros(scaled);
  const point = <i64>coefficient.length + scaled;
  if (point > 0) return sign + coefficient.substring(0, <i32>point) + '.' + coefficient.substring(<i32>point);
  return sign + '0.' + zeros(-point) + coefficient;
}

/** True when every character could belong to a Decimal literal: a cheap test before parsing. */
function mayBeDecimal(s: string): bool {
  const base = changetype<usize>(s);
  for (let i = 0, n = s.length; i < n; i++) {
    const c = <i32>load<u16>(base + ((<usize>i) << 1));
    if (!isDigit(c) && c != 43 && c != 45 && c != 46 && c != 95 && (c | 32) != 101) return false;
  }
  return s.length > 0;
}

/** The canonical form of a numeric-looking string, or null when Python's Decimal() rejects it. */
export function canonicalDecimalText(s: string): string | null {
  if (!mayBeDecimal(s)) return null;
  // Decimal() deletes every underscore before parsing ("1__0" → 10, "_1" → 1).
  const parts = parseDecimal(s.indexOf('_') >= 0 ? s.replaceAll('_', '') : s);
  return parts === null ? null : formatDecimal(parts);
}
