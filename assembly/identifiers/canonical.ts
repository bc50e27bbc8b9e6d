// Entry point: any identifier an EPCIS event carries → the constrained canonical GS1 Digital Link on
// https://id.gs1.org that the CBV 2.0 event hash and our index use (EPCIS.md §1.8), or a status that
// says why not. Never traps, whatever the input.
import { canonicalFromDigitalLink } from './digital-link';
import { canonicalFromEpcUrn } from './epc-urn';
import { CanonicalIdentifier, notGs1 } from './identifier-status';
import { startsWithIgnoreCase } from './text-range';

export { CanonicalIdentifier, IdentifierStatus } from './identifier-status';
export { classOf, isInstanceLevel } from './granularity';

export function canonicalIdentifier(uri: string): CanonicalIdentifier {
  if (uri.startsWith('urn:epc:')) return canonicalFromEpcUrn(uri);
  if (startsWithIgnoreCase(uri, 'https://')) return canonicalFromDigitalLink(uri, 8);
  if (startsWithIgnoreCase(uri, 'http://')) return canonicalFromDigitalLink(uri, 7);
  return notGs1(uri);
}
