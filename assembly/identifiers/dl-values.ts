// Validates and writes the value of each Digital Link path element. Numeric keys are copied as they
// are (GTINs padded to 14 digits); alphanumeric values go through the percent normaliser. A wrong check
// digit is noted rather than fatal, so the caller can still hand out the canonical form (see
// CanonicalIdentifier.value).
import { CS39, CS82, isDigit, PATH_RAW } from './ai-chars';
import { checkDigitMatches, gs1CheckDigit } from './check-digit';
import { put, putRange } from './dl-writer';
import { Ai, keyName } from './gs1-ai';
import { allDigits, leadingDigits } from './text-range';
import { copyValue, SET_39, SET_82, valueProblem } from './value-codec';

let checkDigitProblem: string | null = null;

export function resetCheckDigitProblem(): void {
  checkDigitProblem = null;
}

/** The check-digit mismatch seen since the last reset, as a sentence, or null. */
export function lastCheckDigitProblem(): string | null {
  return checkDigitProblem;
}

/** Digits of the fixed numeric part of a key (the whole key for all-numeric keys). */
function numericPart(ai: i32, len: i32): i32 {
  switch (ai) {
    case Ai.Sscc:
    case Ai.Itip:
    case Ai.Gsrn:
    case Ai.Gsrnp:
      return 18;
    case Ai.Gsin:
      return 17;
    case Ai.Gln:
    case Ai.PartyGln:
    case Ai.Gdti:
    case Ai.Gcn:
      return 13;
    case Ai.Grai:
      return 14;
    case Ai.Gtin:
      return len == 8 || len == 12 || len == 13 ? len : 14;
  }
  return 0;
}

/**
 * True when the value has the shape of its key: the right digits in the right places. It tells a
 * Digital Link on a foreign domain from an ordinary URL whose path merely contains `/01/`.
 */
export function hasKeyShape(ai: i32, s: string, start: i32, end: i32): bool {
  const fixed = numericPart(ai, end - start);
  if (fixed == 0) return leadingDigits(s, start, end) >= 4;
  if (ai == Ai.Gdti || ai == Ai.Gcn || ai == Ai.Grai)
    return end - start >= fixed && allDigits(s, start, start + fixed);
  return end - start == fixed && allDigits(s, start, end);
}

function verifyCheckDigit(ai: i32, s: string, start: i32, end: i32): void {
  if (checkDigitProblem !== null || checkDigitMatches(s, start, end)) return;
  const expected = gs1CheckDigit(changetype<usize>(s) + ((<usize>start) << 1), end - start - 1);
  checkDigitProblem =
    keyName(ai) +
    ' ' +
    s.substring(start, end) +
    ' has a wrong check digit (expected ' +
    expected.toString() +
    ')';
}

/** Writes the primary key value; returns why it is malformed, or null. */
export function putPrimaryValue(ai: i32, s: string, start: i32, end: i32): string | null {
  const len = end - start;
  const fixed = numericPart(ai, len);
  if (fixed == 0) {
    const cpid = ai == Ai.Cpid;
    if (leadingDigits(s, start, end) < 4) return keyName(ai) + ' must begin with a GS1 Company Prefix';
    return putText(s, start, end, 1, 30, cpid, keyName(ai));
  }
  if (ai == Ai.Gtin && (len != fixed || !allDigits(s, start, end)))
    return 'GTIN must have 8, 12, 13 or 14 digits';
  if (len < fixed || !allDigits(s, start, start + fixed))
    return keyName(ai) + ' must start with ' + fixed.toString() + ' digits';
  // ITIP: check digit closes the GTIN, piece and total follow.
  verifyCheckDigit(ai, s, start, start + (ai == Ai.Itip ? 14 : fixed));
  for (let i = fixed; i < 14 && ai == Ai.Gtin; i++) put(48);
  putRange(s, start, start + fixed);
  if (ai == Ai.Gdti) return len == fixed ? null : putText(s, start + fixed, end, 1, 17, false, 'GDTI serial');
  if (ai == Ai.Grai) return len == fixed ? null : putText(s, start + fixed, end, 1, 16, false, 'GRAI serial');
  if (ai == Ai.Gcn) {
    if (len > fixed + 12 || (len > fixed && !allDigits(s, start + fixed, end)))
      return 'GCN serial must be 1 to 12 digits';
    putRange(s, start + fixed, end);
    return null;
  }
  return len == fixed ? null : keyName(ai) + ' must have exactly ' + fixed.toString() + ' digits';
}

/** Writes a key qualifier value; returns why it is malformed, or null. */
export function putQualifierValue(q: i32, s: string, start: i32, end: i32): string | null {
  switch (q) {
    case Ai.Cpsn:
      return putNumber(s, start, end, 12, 'CPID serial (8011)');
    case Ai.Srin:
      return putNumber(s, start, end, 10, 'service relation instance number (8019)');
    case Ai.Tpx:
      return putText(s, start, end, 1, 28, false, 'third-party controlled serial (235)');
    case Ai.UicExt:
      if (start >= end || !isDigit(s.charCodeAt(start)))
        return 'UIC with extension (7040) must start with a digit';
      return putText(s, start, end, 4, 4, false, 'UIC with extension (7040)');
    case Ai.Cpv:
      return putText(s, start, end, 1, 20, false, 'consumer product variant (22)');
    case Ai.Lot:
      return putText(s, start, end, 1, 20, false, 'batch/lot (10)');
    case Ai.Ser:
      return putText(s, start, end, 1, 20, false, 'serial number (21)');
  }
  return putText(s, start, end, 1, 20, false, 'GLN extension (254)');
}

function putNumber(s: string, start: i32, end: i32, max: i32, what: string): string | null {
  if (end - start > max || !allDigits(s, start, end))
    return what + ' must be 1 to ' + max.toString() + ' digits';
  putRange(s, start, end);
  return null;
}

function putText(
  s: string,
  start: i32,
  end: i32,
  min: i32,
  max: i32,
  cpid: bool,
  what: string,
): string | null {
  if (end - start > max * 3) return what + ' is longer than ' + max.toString() + ' characters';
  const n = copyValue(s, start, end, PATH_RAW, cpid ? CS39 : CS82);
  if (n < 0) return valueProblem(n, what, cpid ? SET_39 : SET_82);
  if (n < min || n > max) {
    const size = min == max ? min.toString() : min.toString() + ' to ' + max.toString();
    return what + ' must have ' + size + ' characters, not ' + n.toString();
  }
  return null;
}
