// The part of each EPC scheme that differs: how its URN fields become Digital Link path elements
// (TDS 2.x EPC-to-GS1-element-string rules, written in DL form). `full` is false for a class-level
// pattern, whose last field is `*` and is left out.
import { put, putString } from './dl-writer';
import { fieldIs, putAlphanumericKey, putDigits, putKey, putValue } from './urn-fields';

// One row per scheme: URN name, label for messages, number of dot-separated fields, and whether the
// key without its last field is still one key (the class a `CP.REF.*` pattern names).
// prettier-ignore
export const enum Scheme {
  Sgtin, Sscc, Sgln, Grai, Giai, Gsrn, Gsrnp, Gdti, Cpi, Sgcn, Ginc, Gsin, Itip, Upui, Pgln, Lgtin,
}
export const SCHEME_COUNT = 16;
// prettier-ignore
const NAMES: StaticArray<string> = [
  'sgtin', 'sscc', 'sgln', 'grai', 'giai', 'gsrn', 'gsrnp', 'gdti', 'cpi', 'sgcn', 'ginc', 'gsin', 'itip', 'upui', 'pgln', 'lgtin',
];
// prettier-ignore
const LABELS: StaticArray<string> = [
  'SGTIN', 'SSCC', 'SGLN', 'GRAI', 'GIAI', 'GSRN', 'GSRNP', 'GDTI', 'CPI', 'SGCN', 'GINC', 'GSIN', 'ITIP', 'UPUI', 'PGLN', 'LGTIN',
];
// prettier-ignore
const FIELD_COUNTS: StaticArray<i32> = [3, 2, 3, 3, 2, 2, 2, 3, 3, 3, 2, 2, 5, 3, 2, 3];
// prettier-ignore
const CLASS_LEVEL: StaticArray<bool> = [
  true, false, true, true, false, false, false, true, true, true, false, false, true, true, false, false,
];

export function schemeName(scheme: i32): string {
  return <u32>scheme < <u32>SCHEME_COUNT ? unchecked(NAMES[scheme]) : '';
}

export function schemeLabel(scheme: i32): string {
  return <u32>scheme < <u32>SCHEME_COUNT ? unchecked(LABELS[scheme]) : '';
}

export function fieldCount(scheme: i32): i32 {
  return <u32>scheme < <u32>SCHEME_COUNT ? unchecked(FIELD_COUNTS[scheme]) : 0;
}

export function hasClassLevel(scheme: i32): bool {
  return <u32>scheme < <u32>SCHEME_COUNT && unchecked(CLASS_LEVEL[scheme]);
}

export function writeScheme(s: string, scheme: i32, full: bool, label: string): string | null {
  switch (scheme) {
    case Scheme.Sgtin:
    case Scheme.Lgtin:
    case Scheme.Upui:
    case Scheme.Itip:
      return writeGtinBased(s, scheme, full, label);
    case Scheme.Grai:
    case Scheme.Gdti:
    case Scheme.Sgcn:
      return writeKeyWithSerial(s, scheme, full, label);
    case Scheme.Giai:
    case Scheme.Ginc:
    case Scheme.Cpi:
      return writeAlphanumeric(s, scheme, full, label);
  }
  return writeNumeric(s, scheme, full, label);
}

function writeGtinBased(s: string, scheme: i32, full: bool, label: string): string | null {
  putString(scheme == Scheme.Itip ? '/8006/' : '/01/');
  let p = putKey(s, 0, 1, 13, true, label);
  if (p === null && scheme == Scheme.Itip) p = putDigits(s, 2, 2, 2, 'ITIP piece number');
  if (p === null && scheme == Scheme.Itip) p = putDigits(s, 3, 2, 2, 'ITIP total count');
  if (p !== null || !full) return p;
  if (scheme == Scheme.Itip) {
    putString('/21/');
    return putValue(s, 4, 20, false, 'ITIP serial');
  }
  if (scheme == Scheme.Upui) {
    putString('/235/');
    return putValue(s, 2, 28, false, 'UPUI third-party controlled serial');
  }
  putString(scheme == Scheme.Lgtin ? '/10/' : '/21/');
  return putValue(s, 2, 20, false, scheme == Scheme.Lgtin ? 'LGTIN lot number' : 'SGTIN serial');
}

/** GRAI, GDTI and SGCN append their serial to the key with no separator (AI 8003, 253, 255). */
function writeKeyWithSerial(s: string, scheme: i32, full: bool, label: string): string | null {
  if (scheme == Scheme.Grai) {
    putString('/8003/');
    put(48);
  } else {
    putString(scheme == Scheme.Gdti ? '/253/' : '/255/');
  }
  const p = putKey(s, 0, 1, 12, false, label);
  if (p !== null || !full) return p;
  if (scheme == Scheme.Sgcn) return putDigits(s, 2, 1, 12, 'SGCN serial');
  return putValue(s, 2, scheme == Scheme.Grai ? 16 : 17, false, label + ' serial');
}

function writeAlphanumeric(s: string, scheme: i32, full: bool, label: string): string | null {
  const cpi = scheme == Scheme.Cpi;
  putString(cpi ? '/8010/' : scheme == Scheme.Giai ? '/8004/' : '/401/');
  const p = putAlphanumericKey(s, 0, 1, cpi, label);
  if (p !== null || !full || !cpi) return p;
  putString('/8011/');
  return putDigits(s, 2, 1, 12, 'CPI serial');
}

function writeNumeric(s: string, scheme: i32, full: bool, label: string): string | null {
  switch (scheme) {
    case Scheme.Sscc:
      putString('/00/');
      return putKey(s, 0, 1, 17, true, label);
    case Scheme.Gsrn:
    case Scheme.Gsrnp:
      putString(scheme == Scheme.Gsrn ? '/8018/' : '/8017/');
      return putKey(s, 0, 1, 17, false, label);
    case Scheme.Gsin:
      putString('/402/');
      return putKey(s, 0, 1, 16, false, label);
    case Scheme.Pgln:
      putString('/417/');
      return putKey(s, 0, 1, 12, false, label);
  }
  putString('/414/');
  const p = putKey(s, 0, 1, 12, false, label);
  if (p !== null || !full || fieldIs(s, 2, '0')) return p;
  putString('/254/');
  return putValue(s, 2, 20, false, 'SGLN extension');
}
