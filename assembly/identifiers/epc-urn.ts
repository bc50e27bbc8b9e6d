// EPC pure-identity, class and pattern URNs (GS1 Tag Data Standard 2.x) to the canonical Digital Link.
// Check digits are computed here (URNs carry none). Patterns whose only wildcard is the last field
// name one class-level key (`urn:epc:idpat:sgtin:CP.IR.*` → `/01/<gtin>`); patterns with more
// wildcards cover many keys, have no single Digital Link and stay unchanged (NotGs1) for the query
// layer to match by prefix.
import { canonical, CanonicalIdentifier, invalid, notGs1 } from './identifier-status';
import { finishDl, startDl } from './dl-writer';
import {
  fieldCount,
  hasClassLevel,
  Scheme,
  SCHEME_COUNT,
  schemeLabel,
  schemeName,
  writeScheme,
} from './epc-urn-schemes';
import { rangeEquals } from './text-range';
import { isWildcard, splitFields } from './urn-fields';

// The longest valid EPC URN (an ITIP pattern with a fully escaped serial) has about 100 characters.
const MAX_URN_LENGTH = 256;

const enum Level {
  Id,
  Class,
  Pattern,
}

/** Index of the scheme named at `at` (followed by `:` or the end), or -1 for non-GS1 schemes (gid, usdod, adi, bic, imovn…). */
function schemeAt(uri: string, at: i32, level: Level): i32 {
  for (let i = 0; i < SCHEME_COUNT; i++) {
    const name = schemeName(i);
    const end = at + name.length;
    if (end > uri.length || (end < uri.length && uri.charCodeAt(end) != 58)) continue;
    if (!rangeEquals(uri, at, end, name)) continue;
    return (i == Scheme.Lgtin) == (level == Level.Class) ? i : -1;
  }
  return -1;
}

/** Index of the first `*` field, `count` without one, -1 when a concrete field follows a `*`. */
function firstWildcard(uri: string, count: i32): i32 {
  let first = count;
  for (let f = 0; f < count; f++) {
    if (isWildcard(uri, f)) {
      if (first == count) first = f;
    } else if (first < count) {
      return -1;
    }
  }
  return first;
}

export function canonicalFromEpcUrn(uri: string): CanonicalIdentifier {
  let at = 0;
  let level = Level.Id;
  if (uri.startsWith('urn:epc:id:')) {
    at = 11;
  } else if (uri.startsWith('urn:epc:class:')) {
    at = 14;
    level = Level.Class;
  } else if (uri.startsWith('urn:epc:idpat:')) {
    at = 14;
    level = Level.Pattern;
  } else {
    return notGs1(uri);
  }

  const scheme = schemeAt(uri, at, level);
  if (scheme < 0) return notGs1(uri);
  const label = schemeLabel(scheme);
  const body = at + schemeName(scheme).length + 1;
  if (body >= uri.length) return invalid(uri, label + ' URN has no fields after the scheme name');
  if (uri.length > MAX_URN_LENGTH) return invalid(uri, label + ' URN is longer than any valid EPC URN');

  const count = fieldCount(scheme);
  if (splitFields(uri, body, count) != count) {
    return invalid(uri, label + ' URN must have ' + count.toString() + ' dot-separated fields');
  }
  let full = true;
  if (level == Level.Pattern) {
    const wildcard = firstWildcard(uri, count);
    if (wildcard < 0) return invalid(uri, label + " pattern has a concrete field after a '*' field");
    if (wildcard < count) {
      if (wildcard != count - 1 || !hasClassLevel(scheme)) return notGs1(uri);
      full = false;
    }
  }
  startDl();
  const problem = writeScheme(uri, scheme, full, label);
  if (problem !== null) return invalid(uri, problem);
  return canonical(finishDl(uri));
}
