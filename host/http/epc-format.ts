// GS1-EPC-Format on output (EPCIS.md §1.6 content negotiation). Identifiers are returned as
// GS1 Digital Links by default (`Always_GS1_Digital_Link`, the standard's default), or exactly as
// captured (`Never_Translates`, `No_Preference`). `Always_EPC_URN` cannot be honoured offline: a
// Digital Link does not say how long its GS1 Company Prefix is, so it is refused with 406.

import { type Problem, problem } from './problem.js';

export type EpcFormat = 'Always_GS1_Digital_Link' | 'Never_Translates' | 'No_Preference' | 'Always_EPC_URN';

const FORMATS: readonly EpcFormat[] = [
  'Always_GS1_Digital_Link',
  'Never_Translates',
  'No_Preference',
  'Always_EPC_URN',
];

function parseEpcFormat(header: string | string[] | undefined): EpcFormat | null {
  if (header === undefined) return 'Always_GS1_Digital_Link';
  const value = Array.isArray(header) ? header[0] : header;
  return FORMATS.find((format) => format === value?.trim()) ?? null;
}

/** The format to answer in, or the problem to answer with: 400 for an unknown value, 406 for URNs. */
export function negotiateEpcFormat(
  header: string | string[] | undefined,
): { ok: true; format: Exclude<EpcFormat, 'Always_EPC_URN'> } | { ok: false; problem: Problem } {
  const format = parseEpcFormat(header);
  if (format === null) {
    return {
      ok: false,
      problem: problem(
        'QueryParameterException',
        'GS1-EPC-Format must be No_Preference, Always_GS1_Digital_Link, Always_EPC_URN or Never_Translates',
      ),
    };
  }
  if (format === 'Always_EPC_URN') {
    return {
      ok: false,
      problem: problem(
        'NotAcceptableException',
        'this server cannot translate GS1 Digital Links to EPC URNs offline (that needs the GS1 Company Prefix length); ask for Always_GS1_Digital_Link or Never_Translates',
      ),
    };
  }
  return { ok: true, format };
}

type Json = Record<string, unknown>;
const LIST_FIELDS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'];
const QUANTITY_FIELDS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'];

/** Rewrites an event's identifiers (in place) to their canonical Digital Link. */
export function toDigitalLinks(event: Json, toDl: (id: string) => string): void {
  for (const field of LIST_FIELDS) {
    const list = event[field];
    if (Array.isArray(list))
      event[field] = list.map((id: unknown) => (typeof id === 'string' ? toDl(id) : id));
  }
  if (typeof event['parentID'] === 'string') event['parentID'] = toDl(event['parentID']);
  for (const field of QUANTITY_FIELDS) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    for (const element of list as Json[]) {
      if (typeof element['epcClass'] === 'string') element['epcClass'] = toDl(element['epcClass']);
    }
  }
  for (const field of ['readPoint', 'bizLocation']) {
    const location = event[field] as Json | undefined;
    if (location !== undefined && typeof location['id'] === 'string') location['id'] = toDl(location['id']);
  }
  for (const [field, key] of [
    ['sourceList', 'source'],
    ['destinationList', 'destination'],
    ['bizTransactionList', 'bizTransaction'],
  ] as const) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list as Json[]) {
      if (typeof entry[key] === 'string') entry[key] = toDl(entry[key]);
    }
  }
}
