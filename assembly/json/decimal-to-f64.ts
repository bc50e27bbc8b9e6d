// Correctly rounded decimal-to-binary64 conversion (round half to even, like JSON.parse).
// Most numbers take Clinger's exact fast path. The rest start from a floating-point estimate a few
// ulps off and move it one ulp at a time while an exact big-integer comparison of the decimal with
// the midpoint to the neighbouring double says so (AlgorithmR, Clinger 1990).

import { BigUint } from './big-uint';

const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const EXACT_LIMIT: u64 = 1 << 53;
const INFINITY_BITS: u64 = 0x7ff0000000000000;
// A midpoint between doubles has at most 767 significant digits, so digits past this many only
// matter as "something nonzero follows". With the early outs for huge and tiny magnitudes this
// bounds every big integer below to about 3,900 bits. Overflow is still checked, never assumed.
const MAX_DIGITS = 800;
const MAX_STEPS = 128;

const scaledDigits = new BigUint();
const powerOfTen = new BigUint();
const left = new BigUint();
const right = new BigUint();
let digitsTruncated = false;
let comparisonOverflowed = false;

/**
 * The double nearest to `mantissa` × 10^`exponent` (plus a nonzero tail when `truncated`), where
 * `mantissa` holds at most 19 digits. [text, textEnd) is the number as written, consulted only on
 * the slow path.
 */
export function decimalToF64(
  mantissa: u64,
  exponent: i32,
  truncated: bool,
  text: usize,
  textEnd: usize,
): f64 {
  if (mantissa == 0) return 0;
  if (!truncated && mantissa <= EXACT_LIMIT) {
    if (exponent >= 0 && exponent <= 22) return <f64>mantissa * unchecked(POW10[exponent]);
    if (exponent < 0 && exponent >= -22) return <f64>mantissa / unchecked(POW10[-exponent]);
    if (exponent > 22 && exponent <= 22 + 15) {
      const scale = <u64>unchecked(POW10[exponent - 22]);
      if (mantissa <= EXACT_LIMIT / scale) return <f64>(mantissa * scale) * 1e22;
    }
  }
  let digits = 1;
  for (let t = mantissa; t >= 10; t /= 10) digits++;
  if (digits - 1 + exponent > 309) return Infinity;
  if (digits + exponent < -324) return 0;
  return refine(estimate(mantissa, exponent), text, textEnd);
}

function estimate(mantissa: u64, e: i32): f64 {
  let x = <f64>mantissa;
  if (e >= 0) {
    for (; e > 22; e -= 22) x *= 1e22;
    return x * unchecked(POW10[e]);
  }
  for (; e < -22; e += 22) x /= 1e22;
  return x / unchecked(POW10[-e]);
}

function refine(approx: f64, text: usize, textEnd: usize): f64 {
  const exponent = loadDigits(scaledDigits, text, textEnd);
  powerOfTen.setU64(1);
  if (exponent >= 0) scaledDigits.mulPow10(exponent);
  else powerOfTen.mulPow10(-exponent);
  if (scaledDigits.overflowed || powerOfTen.overflowed) return approx;
  comparisonOverflowed = false;
  let bits = reinterpret<u64>(approx);
  let c = bits < INFINITY_BITS ? compareWithMidpoint(bits) : -1;
  let steps = 0;
  if (c > 0 || (c == 0 && (bits & 1) != 0)) {
    do {
      bits++;
      c = bits < INFINITY_BITS ? compareWithMidpoint(bits) : -1;
    } while ((c > 0 || (c == 0 && (bits & 1) != 0)) && ++steps < MAX_STEPS);
  } else {
    while (bits > 0 && ++steps < MAX_STEPS) {
      c = compareWithMidpoint(bits - 1);
      if (c > 0 || (c == 0 && (bits & 1) == 0)) break;
      bits--;
    }
  }
  return comparisonOverflowed ? approx : reinterpret<f64>(bits);
}

/** Sign of (the decimal − the midpoint between the doubles with bit patterns `q` and `q` + 1). */
function compareWithMidpoint(q: u64): i32 {
  const biased = <i32>(q >>> 52);
  const fraction = q & 0xfffffffffffff;
  const m = biased == 0 ? fraction : fraction | ((<u64>1) << 52);
  const k = biased == 0 ? -1074 : biased - 1075;
  // midpoint = (2m + 1) × 2^(k - 1); the decimal = scaledDigits / powerOfTen.
  const shift = k - 1;
  left.copyFrom(scaledDigits);
  if (shift < 0) left.shl(-shift);
  right.setMulU64(powerOfTen, 2 * m + 1);
  if (shift > 0) right.shl(shift);
  if (left.overflowed || right.overflowed) {
    comparisonOverflowed = true;
    return 0;
  }
  const c = left.compare(right);
  return c == 0 && digitsTruncated ? 1 : c;
}

/**
 * Loads the first MAX_DIGITS significant digits of the number at [s, end) into `into` and returns
 * the power of ten that scales them to the number's value; sets digitsTruncated.
 */
function loadDigits(into: BigUint, s: usize, end: usize): i32 {
  into.setU64(0);
  digitsTruncated = false;
  let kept = 0;
  let chunk: u32 = 0;
  let chunkDigits = 0;
  let exponent: i64 = 0;
  let inFraction = false;
  if (s < end && load<u8>(s) == 0x2d) s++;
  for (; s < end; s++) {
    const c = <u32>load<u8>(s);
    if (c == 0x2e) {
      inFraction = true;
      continue;
    }
    const d = c - 0x30;
    if (d > 9) break;
    if (kept == 0 && d == 0) {
      if (inFraction) exponent--;
    } else if (kept < MAX_DIGITS) {
      chunk = chunk * 10 + d;
      kept++;
      if (++chunkDigits == 9) {
        into.mulSmall(1_000_000_000);
        into.addSmall(chunk);
        chunk = 0;
        chunkDigits = 0;
      }
      if (inFraction) exponent--;
    } else {
      if (!inFraction) exponent++;
      if (d != 0) digitsTruncated = true;
    }
  }
  if (chunkDigits > 0) {
    into.mulPow10(chunkDigits);
    into.addSmall(chunk);
  }
  if (s < end) exponent += writtenExponent(s + 1, end);
  return <i32>min(max(exponent, -2_000_000_000), 2_000_000_000);
}

/** The exponent digits after 'e' ([s, end): optional sign, then digits), saturated. */
function writtenExponent(s: usize, end: usize): i64 {
  let negative = false;
  if (s < end && (load<u8>(s) == 0x2d || load<u8>(s) == 0x2b)) negative = load<u8>(s++) == 0x2d;
  let x: i64 = 0;
  for (; s < end; s++) {
    const d = <u32>load<u8>(s) - 0x30;
    if (d > 9) break;
    if (x < 1_000_000_000) x = x * 10 + d;
  }
  return negative ? -x : x;
}
