// Identifier-valued parameters (MATCH_*, read points, business locations, transformation IDs,
// business transactions, sources, destinations) turned into the canonical forms the store holds.
// URN and Digital Link spellings of one identifier canonicalise to the same string, so matching is
// plain equality; EPC patterns become prefix matches on the class's Digital Link.
import type { IdentifierCanon } from './event-query.js';
import { isUri, type Read } from './parse-scalar-values.js';

export interface IdentifierMatch {
  values: string[];
  /** Canonical identifiers starting with one of these match too. */
  prefixes: string[];
}

const PATTERN = 'urn:epc:idpat:';
// A GLN on its own (no /254/ extension): the only key for which GS1 itself defines sub-locations.
const BARE_GLN = /^https:\/\/id\.gs1\.org\/414\/\d{13}$/;

/** Canonical forms of plain identifiers; rejects what is not a URI or what the core calls invalid. */
export function readCanonicalIds(items: string[], canon: IdentifierCanon): Read<string[]> {
  const values: string[] = [];
  for (const item of items) {
    const problem = identifierProblem(item, canon);
    if (problem !== null) return { ok: false, detail: problem };
    values.push(canon.canonical(item));
  }
  return { ok: true, value: values };
}

/**
 * MATCH_* values. `urn:epc:idpat:sgtin:0614141.107346.*` canonicalises to the class Digital Link
 * https://id.gs1.org/01/00614141073467; an instance (`…/21/serial`) or a lot (`…/10/lot`) matches when
 * its canonical form continues that class with "/". For class-level parameters (MATCH_*EPCClass) the
 * class itself matches as well, since a quantity may name the pattern's class directly.
 */
export function readIdentifierMatch(
  items: string[],
  canon: IdentifierCanon,
  level: 'instance' | 'class',
): Read<IdentifierMatch> {
  const match: IdentifierMatch = { values: [], prefixes: [] };
  for (const item of items) {
    const problem = identifierProblem(item, canon);
    if (problem !== null) return { ok: false, detail: problem };
    const canonical = canon.canonical(item);
    if (!item.startsWith(PATTERN)) {
      match.values.push(canonical);
      continue;
    }
    if (canonical.startsWith(PATTERN)) {
      return {
        ok: false,
        detail:
          `cannot use the pattern "${item}": only patterns that fix the company prefix and the item or ` +
          `location reference and wildcard the rest (like urn:epc:idpat:sgtin:0614141.107346.*) are supported`,
      };
    }
    match.prefixes.push(`${canonical}/`);
    if (level === 'class') match.values.push(canonical);
  }
  return { ok: true, value: match };
}

/**
 * EQ_/WD_ readPoint and bizLocation. WD_ ("with descendants") needs a location hierarchy, which
 * comes from master data we do not store yet; the one hierarchy GS1 defines by itself is a GLN and
 * its sub-locations, so WD_ of a bare GLN (https://id.gs1.org/414/{gln}) also matches every
 * https://id.gs1.org/414/{gln}/254/{extension}. Any other location matches only itself.
 */
export function readLocations(
  items: string[],
  canon: IdentifierCanon,
  withDescendants: boolean,
): Read<IdentifierMatch> {
  const ids = readCanonicalIds(items, canon);
  if (!ids.ok) return ids;
  const prefixes = withDescendants
    ? ids.value.filter((id) => BARE_GLN.test(id)).map((gln) => `${gln}/254/`)
    : [];
  return { ok: true, value: { values: ids.value, prefixes } };
}

function identifierProblem(item: string, canon: IdentifierCanon): string | null {
  if (!isUri(item))
    return `has "${item}", which is not a URI; give an EPC URN (urn:epc:id:…) or a GS1 Digital Link`;
  if (canon.isInvalid(item))
    return `has "${item}", which is not a valid identifier (check its digits, check digit and length)`;
  return null;
}
