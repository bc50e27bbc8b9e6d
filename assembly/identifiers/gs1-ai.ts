// The GS1 Digital Link path vocabulary this service accepts: primary keys, their key qualifiers and
// the order qualifiers must come in (GS1 Digital Link URI Syntax 1.2, ABNF `gs1path`). GMN (8013) is
// left out: it is no EPC, and its check-character pair is not verified here.
import { rangeEquals } from './text-range';

// prettier-ignore
export const enum Ai {
  Sscc, Gtin, Itip, Cpid, Gln, PartyGln, Gsrnp, Gsrn, Gcn, Gdti, Ginc, Gsin, Grai, Giai,
  Cpv, Lot, Ser, Tpx, Glnx, UicExt, Cpsn, Srin,
}

const PRIMARY_COUNT = 14;
// prettier-ignore
const CODES: StaticArray<string> = [
  '00', '01', '8006', '8010', '414', '417', '8017', '8018', '255', '253', '401', '402', '8003', '8004',
  '22', '10', '21', '235', '254', '7040', '8011', '8019',
];
// Alphabetic path names were deprecated in DL 1.2 but still appear in the wild; the RI accepts them too.
// prettier-ignore
const SHORT_NAMES: StaticArray<string> = [
  'sscc', 'gtin', 'itip', 'cpid', 'gln', 'party', 'gsrnp', 'gsrn', 'gcn', 'gdti', 'ginc', 'gsin', 'grai', 'giai',
  'cpv', 'lot', 'ser', '', 'glnx', '', 'cpsn', 'srin',
];

/** The numeric AI of `ai`, e.g. "01". */
export function aiCode(ai: i32): string {
  return <u32>ai < <u32>CODES.length ? unchecked(CODES[ai]) : '';
}

export function isPrimary(ai: i32): bool {
  return ai >= 0 && ai < PRIMARY_COUNT;
}

/** The AI a path segment names (numeric code or short name), or -1. */
export function lookupAi(s: string, start: i32, end: i32): i32 {
  const len = end - start;
  if (len < 2 || len > 5) return -1;
  const names = s.charCodeAt(start) <= 57 ? CODES : SHORT_NAMES;
  for (let i = 0; i < names.length; i++) {
    if (rangeEquals(s, start, end, unchecked(names[i]))) return i;
  }
  return -1;
}

/**
 * Where qualifier `q` may stand after `primary`: tens pick one of the allowed sequences (GTIN takes
 * 22/10/21 or 235 alone; GLN takes 254 or 7040), units the position within it; -1 when not allowed.
 */
export function qualifierRank(primary: i32, q: i32): i32 {
  switch (primary) {
    case Ai.Gtin:
      if (q == Ai.Tpx) return 10;
      return q == Ai.Cpv ? 0 : q == Ai.Lot ? 1 : q == Ai.Ser ? 2 : -1;
    case Ai.Itip:
      return q == Ai.Cpv ? 0 : q == Ai.Lot ? 1 : q == Ai.Ser ? 2 : -1;
    case Ai.Gln:
      return q == Ai.Glnx ? 0 : q == Ai.UicExt ? 10 : -1;
    case Ai.PartyGln:
    case Ai.Giai:
      return q == Ai.UicExt ? 0 : -1;
    case Ai.Cpid:
      return q == Ai.Cpsn ? 0 : -1;
    case Ai.Gsrn:
    case Ai.Gsrnp:
      return q == Ai.Srin ? 0 : -1;
  }
  return -1;
}

// prettier-ignore
const KEY_NAMES: StaticArray<string> = [
  'SSCC', 'GTIN', 'ITIP', 'CPID', 'GLN', 'party GLN', 'GSRNP', 'GSRN', 'GCN', 'GDTI', 'GINC', 'GSIN', 'GRAI', 'GIAI',
];

/** Human name of a primary key for messages. */
export function keyName(ai: i32): string {
  return isPrimary(ai) ? unchecked(KEY_NAMES[ai]) : 'AI ' + aiCode(ai);
}
