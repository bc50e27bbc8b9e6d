// The events bench:wasmedge sends, one shape for every section. Journal and capture events are
// bench:service's shape (ObjectEvents of 4 SGTINs moving in groups of four business steps, with
// business transaction, source and destination, ~600 bytes each); the state lookups ask about
// items commissioned ten to an event (1,000 events per document), so 1,000,000 EPCs take 100,000
// events and 100 documents to seed. Every event is distinct: a repeat would be a duplicate.
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const STEPS = ['commissioning', 'packing', 'shipping', 'receiving'] as const;
const T0_MS = Date.UTC(2026, 0, 1);
const LOCATIONS = 200;
export const EVENTS_PER_DOCUMENT = 1000;
export const SEED_EPCS_PER_EVENT = 10;

type Json = Record<string, unknown>;

const site = (n: number) => `urn:epc:id:sgln:4012345.00012.${n % LOCATIONS}`;
const readPoint = (n: number) => `urn:epc:id:sgln:4012345.00011.${n % LOCATIONS}`;

/** Event n of the journal and capture runs: group n/4 of 4 items, business step n mod 4. */
export function movementEvent(n: number): Json {
  const group = Math.floor(n / 4);
  const step = n % 4;
  return {
    type: 'ObjectEvent',
    eventTime: new Date(T0_MS + n * 31_536).toISOString(),
    eventTimeZoneOffset: '+01:00',
    epcList: [0, 1, 2, 3].map((k) => `urn:epc:id:sgtin:4012345.011111.${group * 4 + k}`),
    action: step === 0 ? 'ADD' : 'OBSERVE',
    bizStep: STEPS[step],
    disposition: step === 2 ? 'in_transit' : 'in_progress',
    readPoint: { id: readPoint(group) },
    bizLocation: { id: site(group) },
    bizTransactionList: [{ type: 'po', bizTransaction: `urn:epc:id:gdti:4012345.00001.${group % 100_000}` }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00000' }],
  };
}

function epcisDocument(eventList: Json[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      '@context': [CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date(T0_MS).toISOString(),
      epcisBody: { eventList },
    }),
  );
}

/** POST /capture body: movement events first … first + 999. */
export function movementDocument(first: number): Buffer {
  return epcisDocument(Array.from({ length: EVENTS_PER_DOCUMENT }, (_, i) => movementEvent(first + i)));
}

/** POST /events body: one movement event with its @context. */
export function singleEvent(n: number): string {
  return JSON.stringify({ '@context': [CONTEXT], ...movementEvent(n) });
}

export function trackedEpc(item: number): string {
  return `urn:epc:id:sgtin:4012345.022222.${item}`;
}

/** Seeding document d: 1,000 commissioning events of 10 items each (items d·10,000 …). */
export function seedDocument(d: number): Buffer {
  const perDocument = EVENTS_PER_DOCUMENT * SEED_EPCS_PER_EVENT;
  return epcisDocument(
    Array.from({ length: EVENTS_PER_DOCUMENT }, (_, e) => ({
      type: 'ObjectEvent',
      eventTime: new Date(T0_MS + d * 1_000_000 + e * 1000).toISOString(),
      eventTimeZoneOffset: '+00:00',
      epcList: Array.from({ length: SEED_EPCS_PER_EVENT }, (_, k) =>
        trackedEpc(d * perDocument + e * SEED_EPCS_PER_EVENT + k),
      ),
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: readPoint(d + e) },
      bizLocation: { id: site(d + e) },
    })),
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A stride coprime to `size`: k · stride mod size walks every item once in a scattered order. */
export function scatterStride(size: number): number {
  let stride = 7_919_993 % size || 1;
  while (gcd(stride, size) !== 1) stride++;
  return stride;
}

/** The k-th state lookup over `epcs` seeded items (wrk's script walks the same order). */
export function statePath(k: number, epcs: number): string {
  return `/epcs/${trackedEpc(Number((BigInt(k) * BigInt(scatterStride(epcs))) % BigInt(epcs)))}/state`;
}
