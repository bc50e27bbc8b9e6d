// GS1-EPC-Format on output (EPCIS.md §1.6 content negotiation). Identifiers are returned as
// GS1 Digital Links by default (`Always_GS1_Digital_Link`, the standard's default), or exactly as
// captured (`Never_Translates`, `No_Preference`). `Always_EPC_URN` cannot be honoured offline: a
// Digital Link does not say how long its GS1 Company Prefix is, so it is refused with 406.

export type EpcFormat = 'Always_GS1_Digital_Link' | 'Never_Translates' | 'No_Preference' | 'Always_EPC_URN';

const FORMATS: readonly EpcFormat[] = [
  'Always_GS1_Digital_Link',
  'Never_Translates',
  'No_Preference',
  'Always_EPC_URN',
];

export function parseEpcFormat(header: string | string[] | undefined): EpcFormat | null {
  if (header === undefined) return 'Always_GS1_Digital_Link';
  const value = Array.isArray(header) ? header[0] : header;
  return FORMATS.find((format) => format === value?.trim()) ?? null;
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
