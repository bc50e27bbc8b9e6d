// Canonical text of one value in the CBV 2.0 pre-hash, in the reference generator's order
// (json_to_py._namespace_replace, then hash_generator._canonize_value): GS1 CURIEs expanded, the
// value stripped, CBV URNs rewritten as web URIs, numbers normalised, GS1 keys turned into the
// canonical Digital Link.
import { canonicalIdentifier } from '../identifiers/canonical';
import { JsonKind, JsonValue } from '../json/value';
import { JsonLdContext } from '../jsonld/context';
import { curieColon } from '../jsonld/json-ld-context';
import { expandVocabValue, Vocab } from '../vocab/cbv';
import { canonicalDecimalText } from './prehash-decimal';
import { canonicalJsonNumber, pythonNumberText } from './prehash-number';
import { canonicalTimeText } from './prehash-time';
import { pythonStrip } from './prehash-text';

/** How a standard field's value is canonicalised. */
export enum ValueKind {
  Plain = 0,
  /** Date-times: UTC, millisecond precision (field names containing "time" but not "offset"). */
  Time = 1,
  /** A CBV or GS1 Web Vocabulary value: bare words expand first. */
  Vocabulary = 2,
}

const URN_PREFIXES: string[] = [
  'urn:epcglobal:cbv:bizstep:',
  'urn:epcglobal:cbv:disp:',
  'urn:epcglobal:cbv:btt:',
  'urn:epcglobal:cbv:sdt:',
  'urn:epcglobal:cbv:er:',
];
const WEB_PREFIXES: string[] = [
  'https://ref.gs1.org/cbv/BizStep-',
  'https://ref.gs1.org/cbv/Disp-',
  'https://ref.gs1.org/cbv/BTT-',
  'https://ref.gs1.org/cbv/SDT-',
  'https://ref.gs1.org/cbv/ER-',
];

/** CBV 1.x URNs become their web URIs wherever they occur in the text (_try_format_web_vocabulary). */
function webVocabularyFromUrns(s: string): string {
  if (!mayHoldCbvUrn(s)) return s;
  for (let i = 0, n = URN_PREFIXES.length; i < n; i++) {
    s = s.replaceAll(unchecked(URN_PREFIXES[i]), unchecked(WEB_PREFIXES[i]));
  }
  return s;
}

const CBV_URN = 'urn:epcglobal:cbv:';

/** True when `s` contains "urn:epcglobal:cbv:"; a plain scan, as this runs for every value. */
function mayHoldCbvUrn(s: string): bool {
  const base = changetype<usize>(s);
  const last = s.length - CBV_URN.length;
  for (let i = 0; i <= last; i++) {
    const at = base + ((<usize>i) << 1);
    if (
      load<u16>(at) == 117 &&
      memory.compare(at, changetype<usize>(CBV_URN), (<usize>CBV_URN.length) << 1) == 0
    )
      return true;
  }
  return false;
}

/** Canonical text of a string value; "" when it is empty after stripping. */
export function canonicalText(raw: string, ctx: JsonLdContext): string {
  let s = pythonStrip(ctx.expandGs1Curie(raw));
  if (s.length == 0) return s;
  s = webVocabularyFromUrns(s);
  const number = canonicalDecimalText(s);
  if (number !== null) return number;
  // Only URIs can be GS1 keys; skip the call (and its allocation) for everything else.
  const first = s.charCodeAt(0);
  if (first == 117 || (first | 32) == 104) return canonicalIdentifier(s).value;
  return s;
}

/**
 * Python's str() of a scalar as the generator receives it: booleans lower-case (json_to_py emits
 * "true"/"false"), null as "None", numbers as int/float text; null for objects and arrays.
 */
export function pythonScalarText(value: JsonValue): string | null {
  const s = value.asString();
  if (s !== null) return s;
  const n = value.asNumber();
  if (n !== null) return pythonNumberText(n);
  if (value.kind == JsonKind.True) return 'true';
  if (value.kind == JsonKind.False) return 'false';
  return value.kind == JsonKind.Null ? 'None' : null;
}

/** Canonical text of a scalar in an extension or a plain standard field; null for containers. */
export function canonicalScalar(value: JsonValue, ctx: JsonLdContext): string | null {
  const s = value.asString();
  if (s !== null) return canonicalText(s, ctx);
  const n = value.asNumber();
  if (n !== null) return canonicalJsonNumber(n);
  return pythonScalarText(value);
}

/** A date-time in UTC at millisecond precision; text that does not parse stays as written. */
export function canonicalTime(value: JsonValue): string | null {
  const raw = value.asString();
  if (raw === null) return pythonScalarText(value);
  const s = pythonStrip(raw);
  // dateutil rejects second 60, so the reference generator keeps a leap second as written.
  const canonical = canonicalTimeText(s);
  return canonical === null ? s : canonical;
}

/** Canonical text of a standard field's scalar value; null for containers. */
export function canonicalFieldValue(
  value: JsonValue,
  kind: ValueKind,
  vocab: Vocab,
  ctx: JsonLdContext,
): string | null {
  if (kind == ValueKind.Time) return canonicalTime(value);
  if (kind == ValueKind.Vocabulary) {
    const s = value.asString();
    if (s !== null) {
      const expanded = expandVocabValue(vocab, s);
      // A bare word became a ref.gs1.org URI, which no later step changes; skip them.
      if (expanded != s && curieColon(s) < 0) return expanded;
      return canonicalText(expanded, ctx);
    }
  }
  return canonicalScalar(value, ctx);
}
