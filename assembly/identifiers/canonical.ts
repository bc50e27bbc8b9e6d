// Entry point: any identifier an EPCIS event carries → the constrained canonical GS1 Digital Link on
// https://id.gs1.org that the CBV 2.0 event hash and our index use (EPCIS.md §1.8), or a status that
// says why not. Never traps, whatever the input.
import { canonicalFromDigitalLink } from './digital-link';
import { canonicalFromEpcUrn } from './epc-urn';
import { CanonicalIdentifier, notGs1 } from './identifier-status';
import { startsWithIgnoreCase } from './text-range';

export { CanonicalIdentifier, IdentifierStatus } from './identifier-status';
export { classOf, isInstanceLevel } from './granularity';

// Capture canonicalises each identifier twice (index keys, then the pre-hash) and a document
// repeats its locations, parties and transactions in every event; the JSON parser hands out the
// same string object for the same short text (json/string-cache.ts). So a direct-mapped memo keyed
// by the string's address answers most calls without parsing or allocating (bench:core, 1000-event
// documents: about 10% of the capture time went to canonicalisation and its allocations). The
// memo holds the key string, so an address in it always stands for the same immutable text; the
// results are never mutated by callers.
const MEMO_SLOTS: i32 = 1024;
const MEMO_SHIFT: u32 = 22; // 32 - log2(MEMO_SLOTS)
const memoKeys = new StaticArray<string | null>(MEMO_SLOTS);
const memoResults = new StaticArray<CanonicalIdentifier | null>(MEMO_SLOTS);

export function canonicalIdentifier(uri: string): CanonicalIdentifier {
  const address = changetype<usize>(uri);
  const slot = <i32>((<u32>address * 0x9e3779b1) >>> MEMO_SHIFT);
  if (changetype<usize>(unchecked(memoKeys[slot])) == address) {
    return changetype<CanonicalIdentifier>(unchecked(memoResults[slot]));
  }
  const result = canonicalOf(uri);
  unchecked((memoKeys[slot] = uri));
  unchecked((memoResults[slot] = result));
  return result;
}

function canonicalOf(uri: string): CanonicalIdentifier {
  if (uri.startsWith('urn:epc:')) return canonicalFromEpcUrn(uri);
  if (startsWithIgnoreCase(uri, 'https://')) return canonicalFromDigitalLink(uri, 8);
  if (startsWithIgnoreCase(uri, 'http://')) return canonicalFromDigitalLink(uri, 7);
  return notGs1(uri);
}
