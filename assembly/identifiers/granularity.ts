// Instance versus class level of canonical Digital Links, for query matching: MATCH_epc patterns
// such as `urn:epc:idpat:sgtin:CP.IR.*` canonicalise to a class DL and match an EPC when the EPC's
// classOf equals it.
import { GS1_ORIGIN } from './dl-writer';
import { indexIn, lastIndexIn, rangeEquals } from './text-range';

const GS1_PATH = GS1_ORIGIN + '/';
const PRIMARY_AT = GS1_PATH.length;

/** End of the path element starting at `from` (next `/` or the end). */
function elementEnd(s: string, from: i32): i32 {
  const slash = indexIn(s, 47, from, s.length);
  return slash < 0 ? s.length : slash;
}

/** Start of the last qualifier's AI ("…/21/s" → index of "21"), or -1 when the key has no qualifier. */
function lastQualifierAt(s: string, valueEnd: i32): i32 {
  if (valueEnd >= s.length) return -1;
  const lastSlash = lastIndexIn(s, 47, valueEnd, s.length);
  const codeSlash = lastIndexIn(s, 47, valueEnd, lastSlash);
  return codeSlash >= valueEnd ? codeSlash + 1 : -1;
}

/**
 * True for identifiers of one individual object, location or party: serialised items (/21/, /235/),
 * SSCC, GIAI, GRAI/GDTI/GCN with serial, CPID with serial, GLN, party GLN, GSRN, GINC, GSIN.
 * False for classes (GTIN, GTIN + lot, ITIP without serial, GRAI/GDTI/GCN without serial, CPID) and
 * for anything that is not a canonical Digital Link.
 */
export function isInstanceLevel(canonical: string): bool {
  if (!canonical.startsWith(GS1_PATH)) return false;
  const codeEnd = elementEnd(canonical, PRIMARY_AT);
  const valueEnd = elementEnd(canonical, codeEnd + 1);
  const valueLength = valueEnd - codeEnd - 1;
  const q = lastQualifierAt(canonical, valueEnd);
  const qEnd = q < 0 ? -1 : elementEnd(canonical, q);
  if (isCode(canonical, codeEnd, '01') || isCode(canonical, codeEnd, '8006')) {
    return q >= 0 && (rangeEquals(canonical, q, qEnd, '21') || rangeEquals(canonical, q, qEnd, '235'));
  }
  if (isCode(canonical, codeEnd, '8010')) return q >= 0 && rangeEquals(canonical, q, qEnd, '8011');
  if (isCode(canonical, codeEnd, '8003')) return valueLength > 14;
  if (isCode(canonical, codeEnd, '253') || isCode(canonical, codeEnd, '255')) return valueLength > 13;
  return (
    isCode(canonical, codeEnd, '00') ||
    isCode(canonical, codeEnd, '8004') ||
    isCode(canonical, codeEnd, '414') ||
    isCode(canonical, codeEnd, '417') ||
    isCode(canonical, codeEnd, '8017') ||
    isCode(canonical, codeEnd, '8018') ||
    isCode(canonical, codeEnd, '401') ||
    isCode(canonical, codeEnd, '402')
  );
}

/**
 * The class an instance belongs to: its last qualifier dropped (/01/g/21/s → /01/g, /01/g/10/l/21/s →
 * /01/g/10/l, /8010/c/8011/s → /8010/c, /8018/g/8019/s → /8018/g, /414/g/254/x → /414/g, the GLN an
 * `urn:epc:idpat:sgln:CP.LR.*` pattern names), or the serial cut from GRAI/GDTI/GCN. Null for classes,
 * for instances without a class (SSCC, GIAI, GINC, GSIN, party GLN) and for non-canonical input.
 */
export function classOf(canonical: string): string | null {
  if (!canonical.startsWith(GS1_PATH)) return null;
  const codeEnd = elementEnd(canonical, PRIMARY_AT);
  const valueEnd = elementEnd(canonical, codeEnd + 1);
  if (isCode(canonical, codeEnd, '8003')) return cutTo(canonical, valueEnd, codeEnd + 15);
  if (isCode(canonical, codeEnd, '253') || isCode(canonical, codeEnd, '255'))
    return cutTo(canonical, valueEnd, codeEnd + 14);
  const q = lastQualifierAt(canonical, valueEnd);
  if (q < 0) return null;
  const qEnd = elementEnd(canonical, q);
  if (
    rangeEquals(canonical, q, qEnd, '21') ||
    rangeEquals(canonical, q, qEnd, '235') ||
    rangeEquals(canonical, q, qEnd, '8011') ||
    rangeEquals(canonical, q, qEnd, '8019') ||
    rangeEquals(canonical, q, qEnd, '254')
  ) {
    return canonical.substring(0, q - 1);
  }
  return null;
}

function isCode(s: string, codeEnd: i32, code: string): bool {
  return rangeEquals(s, PRIMARY_AT, codeEnd, code);
}

/** `s` up to `classEnd` when the value (ending at `valueEnd`) is longer than its class part. */
function cutTo(s: string, valueEnd: i32, classEnd: i32): string | null {
  return valueEnd > classEnd && valueEnd == s.length ? s.substring(0, classEnd) : null;
}
