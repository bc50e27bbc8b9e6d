// A stand-in for the core's identifier canonicalisation, enough for query tests: SGTIN, SSCC, SGLN,
// LGTIN and SGTIN patterns in URN form become constrained Digital Links on id.gs1.org, Digital Links
// pass through, and a few shapes are declared invalid. The real rules live in assembly/identifiers/.
import type { IdentifierCanon } from '../../../host/query/event-query.js';

const DL = 'https://id.gs1.org';

function checkDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

function gtin(companyPrefix: string, itemRef: string): string {
  const body = itemRef.slice(0, 1) + companyPrefix + itemRef.slice(1);
  return body + checkDigit(body);
}

function convert(id: string): string | null {
  let m = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/.exec(id);
  if (m) return `${DL}/01/${gtin(m[1]!, m[2]!)}/21/${m[3]}`;
  m = /^urn:epc:idpat:sgtin:(\d+)\.(\d+)\.\*$/.exec(id);
  if (m) return `${DL}/01/${gtin(m[1]!, m[2]!)}`;
  m = /^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/.exec(id);
  if (m) return `${DL}/01/${gtin(m[1]!, m[2]!)}/10/${m[3]}`;
  m = /^urn:epc:id:sscc:(\d+)\.(\d+)$/.exec(id);
  if (m) {
    const body = m[2]!.slice(0, 1) + m[1]! + m[2]!.slice(1);
    return `${DL}/00/${body}${checkDigit(body)}`;
  }
  m = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/.exec(id);
  if (m) {
    const body = m[1]! + m[2]!;
    const gln = body + checkDigit(body);
    return m[3] === '0' ? `${DL}/414/${gln}` : `${DL}/414/${gln}/254/${m[3]}`;
  }
  return null;
}

export const fakeCanon: IdentifierCanon = {
  canonical: (id) => convert(id) ?? id,
  isInvalid: (id) =>
    (/^urn:epc:id:(sgtin|sscc|sgln):/.test(id) && convert(id) === null) || id.includes('INVALID'),
};

export const dl = (urn: string): string => fakeCanon.canonical(urn);
