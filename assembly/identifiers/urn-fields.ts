// The dot-separated fields of an EPC URN body and the writers that turn them into DL parts. Field
// bounds live in two small reused arrays: one URN is parsed at a time and nothing is allocated.
import { CS39, CS82, URN_RAW } from './ai-chars';
import { mark, put, putCheckDigit, putRange } from './dl-writer';
import { allDigits, indexIn } from './text-range';
import { copyValue, SET_39, SET_82, valueProblem } from './value-codec';

export const MAX_FIELDS = 5;
const starts = new StaticArray<i32>(MAX_FIELDS);
const ends = new StaticArray<i32>(MAX_FIELDS);

/**
 * Splits `s[from..]` into at most `count` fields and returns how many it found. The last field takes
 * the remainder, dots included: serial numbers may contain dots.
 */
export function splitFields(s: string, from: i32, count: i32): i32 {
  const wanted = min(count, MAX_FIELDS);
  let start = from;
  let n = 0;
  while (n < wanted - 1) {
    const dot = indexIn(s, 46, start, s.length);
    if (dot < 0) break;
    unchecked((starts[n] = start));
    unchecked((ends[n] = dot));
    n++;
    start = dot + 1;
  }
  unchecked((starts[n] = start));
  unchecked((ends[n] = s.length));
  return n + 1;
}

function startOf(f: i32): i32 {
  return unchecked(starts[<u32>f < <u32>MAX_FIELDS ? f : 0]);
}

function endOf(f: i32): i32 {
  return unchecked(ends[<u32>f < <u32>MAX_FIELDS ? f : 0]);
}

/** True when field `f` is the pattern wildcard `*`. */
export function isWildcard(s: string, f: i32): bool {
  const st = startOf(f);
  return endOf(f) - st == 1 && s.charCodeAt(st) == 42;
}

/** True when field `f` is exactly `literal`. */
export function fieldIs(s: string, f: i32, literal: string): bool {
  const st = startOf(f);
  const en = endOf(f);
  if (en - st != literal.length) return false;
  for (let i = st; i < en; i++) if (s.charCodeAt(i) != literal.charCodeAt(i - st)) return false;
  return true;
}

function companyPrefixProblem(s: string, cp: i32, name: string): string | null {
  const st = startOf(cp);
  const len = endOf(cp) - st;
  if (len < 6 || len > 12 || !allDigits(s, st, st + len))
    return name + ' company prefix must be 6 to 12 digits';
  return null;
}

/**
 * Writes company prefix + reference as a GS1 key with its check digit. `indicatorFirst` moves the
 * reference's first digit (GTIN indicator, SSCC extension digit) to the front, as TDS prescribes.
 */
export function putKey(
  s: string,
  cp: i32,
  ref: i32,
  digits: i32,
  indicatorFirst: bool,
  name: string,
): string | null {
  const bad = companyPrefixProblem(s, cp, name);
  if (bad !== null) return bad;
  const cs = startOf(cp);
  const ce = endOf(cp);
  const rs = startOf(ref);
  const re = endOf(ref);
  if (ce - cs + re - rs != digits || (re > rs && !allDigits(s, rs, re)) || (indicatorFirst && re == rs)) {
    return name + ' company prefix and reference must have ' + digits.toString() + ' digits together';
  }
  const from = mark();
  if (indicatorFirst) {
    put(s.charCodeAt(rs));
    putRange(s, cs, ce);
    putRange(s, rs + 1, re);
  } else {
    putRange(s, cs, ce);
    putRange(s, rs, re);
  }
  putCheckDigit(from);
  return null;
}

/** Writes company prefix + alphanumeric reference (GIAI, GINC, CPID): no check digit, at most 30 characters. */
export function putAlphanumericKey(s: string, cp: i32, ref: i32, cpid: bool, name: string): string | null {
  const bad = companyPrefixProblem(s, cp, name);
  if (bad !== null) return bad;
  const cs = startOf(cp);
  const ce = endOf(cp);
  putRange(s, cs, ce);
  return putValue(s, ref, 30 - (ce - cs), cpid, name + ' reference');
}

/** Writes a serial, lot, extension or reference field percent-normalised; 1 to `max` characters. */
export function putValue(s: string, f: i32, max: i32, cpid: bool, what: string): string | null {
  const st = startOf(f);
  const en = endOf(f);
  if (en - st > max * 3) return what + ' is longer than ' + max.toString() + ' characters';
  const n = copyValue(s, st, en, URN_RAW, cpid ? CS39 : CS82);
  if (n < 0) return valueProblem(n, what, cpid ? SET_39 : SET_82);
  if (n < 1 || n > max)
    return what + ' must have 1 to ' + max.toString() + ' characters, not ' + n.toString();
  return null;
}

/** Writes an all-digit field of `minLen` to `maxLen` digits. */
export function putDigits(s: string, f: i32, minLen: i32, maxLen: i32, what: string): string | null {
  const st = startOf(f);
  const len = endOf(f) - st;
  if (len < minLen || len > maxLen || !allDigits(s, st, st + len)) {
    const size = minLen == maxLen ? minLen.toString() : minLen.toString() + ' to ' + maxLen.toString();
    return what + ' must be ' + size + ' digits';
  }
  putRange(s, st, st + len);
  return null;
}
