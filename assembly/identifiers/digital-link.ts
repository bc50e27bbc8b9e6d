// GS1 Digital Link URIs on any domain to the constrained canonical form the CBV 2.0 event hash uses:
// https://id.gs1.org, numeric AIs, GTIN-14, no query string or fragment, no CPV (22), and only the most
// specific key (a serial makes the lot redundant).
//
// The path is read from the right because the DL standard allows any path before the primary key
// (`https://example.com/some/path/01/…`): qualifier pairs are taken until a primary-key pair appears.
// Off the GS1 resolvers a URL counts as a Digital Link only when that key's value has the key's shape,
// so `https://example.com/2024/01/15` stays an ordinary URL.
import { canonical, CanonicalIdentifier, invalid, notGs1 } from './identifier-status';
import { finishDl, mark, put, putString, rewind, startDl } from './dl-writer';
import {
  hasKeyShape,
  lastCheckDigitProblem,
  putPrimaryValue,
  putQualifierValue,
  resetCheckDigitProblem,
} from './dl-values';
import { authorityEnd, collectSegments, isGs1Resolver, pathEnd, segEnd, segStart } from './dl-path';
import { Ai, aiCode, isPrimary, keyName, lookupAi, qualifierRank } from './gs1-ai';

const MAX_QUALIFIERS = 4;
const qualifiers = new StaticArray<i32>(MAX_QUALIFIERS);
const qualifierSegs = new StaticArray<i32>(MAX_QUALIFIERS);

/** `authority` is the index just after `http://` or `https://`. */
export function canonicalFromDigitalLink(uri: string, authority: i32): CanonicalIdentifier {
  const pathStart = authorityEnd(uri, authority);
  if (pathStart == authority) return notGs1(uri);
  const resolver = isGs1Resolver(uri, authority, pathStart);
  const count = collectSegments(uri, pathStart, pathEnd(uri, pathStart));

  let primary = -1;
  let primaryAt = -1;
  let q = 0;
  for (let v = 0; v + 1 < count; v += 2) {
    const ai = lookupAi(uri, segStart(v + 1), segEnd(v + 1));
    if (ai < 0 || q == MAX_QUALIFIERS) break;
    if (isPrimary(ai)) {
      primary = ai;
      primaryAt = v + 1;
      break;
    }
    unchecked((qualifiers[q] = ai));
    unchecked((qualifierSegs[q] = v));
    q++;
  }
  if (primary < 0) {
    if (!resolver) return notGs1(uri);
    const last = count > 0 ? lookupAi(uri, segStart(0), segEnd(0)) : -1;
    if (isPrimary(last)) return invalid(uri, 'primary key ' + aiCode(last) + ' has no value');
    return invalid(
      uri,
      'GS1 resolver URL has no supported primary key (00, 01, 253, 255, 401, 402, 414, 417, 8003, 8004, 8006, 8010, 8017, 8018)',
    );
  }
  const valueStart = segStart(primaryAt - 1);
  const valueEnd = segEnd(primaryAt - 1);
  if (!resolver && !hasKeyShape(primary, uri, valueStart, valueEnd)) return notGs1(uri);
  if (primaryAt + 2 < count) {
    const before = lookupAi(uri, segStart(primaryAt + 2), segEnd(primaryAt + 2));
    if (before >= 0 && qualifierRank(primary, before) >= 0) {
      return invalid(
        uri,
        'key qualifier ' +
          aiCode(before) +
          ' comes before primary key ' +
          aiCode(primary) +
          '; a Digital Link starts with its primary key',
      );
    }
  }

  startDl();
  resetCheckDigitProblem();
  put(47);
  putString(aiCode(primary));
  put(47);
  const problem = putPrimaryValue(primary, uri, valueStart, valueEnd);
  if (problem !== null) return invalid(uri, problem);
  const qualifierProblem = putQualifiers(uri, primary, q);
  if (qualifierProblem !== null) return invalid(uri, qualifierProblem);
  const value = finishDl(uri);
  const checkDigit = lastCheckDigitProblem();
  return checkDigit === null ? canonical(value) : invalid(value, checkDigit, true, aiCode(primary));
}

/** Validates the collected qualifiers in path order and writes those the constrained form keeps. */
function putQualifiers(uri: string, primary: i32, count: i32): string | null {
  let hasSerial = false;
  for (let k = 0; k < count; k++) if (unchecked(qualifiers[k]) == Ai.Ser) hasSerial = true;
  let lastRank = -1;
  let lastAi = -1;
  for (let k = count - 1; k >= 0; k--) {
    const ai = unchecked(qualifiers[k]);
    const rank = qualifierRank(primary, ai);
    if (rank < 0)
      return (
        'AI ' +
        aiCode(ai) +
        ' is not a key qualifier of the ' +
        keyName(primary) +
        ' (' +
        aiCode(primary) +
        ')'
      );
    if (lastRank >= 0 && rank / 10 != lastRank / 10)
      return 'key qualifiers ' + aiCode(lastAi) + ' and ' + aiCode(ai) + ' cannot be combined';
    if (rank <= lastRank) return 'key qualifier ' + aiCode(ai) + ' must come before ' + aiCode(lastAi);
    lastRank = rank;
    lastAi = ai;
    const from = mark();
    put(47);
    putString(aiCode(ai));
    put(47);
    const seg = unchecked(qualifierSegs[k]);
    const problem = putQualifierValue(ai, uri, segStart(seg), segEnd(seg));
    if (problem !== null) return problem;
    if (ai == Ai.Cpv || (ai == Ai.Lot && hasSerial)) rewind(from);
  }
  return null;
}
