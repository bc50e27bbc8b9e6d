// The events every service benchmark sends or stores, so captures and queries see one data shape:
// event n is an ObjectEvent with 4 SGTINs, taken every SPACING_MS from 2025-01-01, at one of
// LOCATIONS business locations. Items move in groups of four events (commissioning, packing,
// shipping, receiving at one site), so each EPC names exactly 4 events, and a location holds about
// 14 events per day at any store size (1,000,000 events span one year).
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const STEPS = ['commissioning', 'packing', 'shipping', 'receiving'] as const;
export const T0_MS = Date.UTC(2025, 0, 1);
export const SPACING_MS = 31_536;
export const LOCATIONS = 200;
export const DAY_MS = 86_400_000;

export function epcOf(item: number): string {
  return `urn:epc:id:sgtin:4012345.011111.${item}`;
}

export function locationOf(site: number): string {
  return `urn:epc:id:sgln:4012345.00012.${site}`;
}

export function event(n: number): Record<string, unknown> {
  const group = Math.floor(n / 4);
  const step = n % 4;
  const site = group % LOCATIONS;
  return {
    type: 'ObjectEvent',
    eventTime: new Date(T0_MS + n * SPACING_MS).toISOString(),
    eventTimeZoneOffset: '+01:00',
    epcList: [0, 1, 2, 3].map((k) => epcOf(group * 4 + k)),
    action: step === 0 ? 'ADD' : 'OBSERVE',
    bizStep: STEPS[step],
    disposition: step === 2 ? 'in_transit' : 'in_progress',
    readPoint: { id: `urn:epc:id:sgln:4012345.00011.${site}` },
    bizLocation: { id: locationOf(site) },
    bizTransactionList: [{ type: 'po', bizTransaction: `urn:epc:id:gdti:4012345.00001.${group % 100_000}` }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00000' }],
  };
}

/** Body of POST /events: one bare event carrying its @context. */
export function singleEvent(n: number): string {
  return JSON.stringify({ '@context': [CONTEXT], ...event(n) });
}

/** Body of POST /capture: an EPCISDocument with events first … first + count - 1. */
export function captureDocument(first: number, count: number): Buffer {
  const eventList = Array.from({ length: count }, (_, i) => event(first + i));
  return Buffer.from(
    JSON.stringify({
      '@context': [CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2025-01-01T00:00:00Z',
      epcisBody: { eventList },
    }),
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The k-th element of a fixed pseudo-random order of 0 … size - 1 (k * stride mod size, stride coprime). */
export function spread(k: number, size: number): number {
  let stride = 7_919_993 % size || 1;
  while (gcd(stride, size) !== 1) stride++;
  return Number((BigInt(k) * BigInt(stride)) % BigInt(size));
}

export type QueryKind = 'epc' | 'location-day';

/**
 * The k-th query of a kind over a store of `events` events. Distinct k give distinct URLs (up to
 * the number of items, or locations × days), so the service's result cache never answers them.
 */
export function queryPath(kind: QueryKind, k: number, events: number): string {
  if (kind === 'epc') {
    const items = Math.floor(events / 4) * 4;
    return `/events?MATCH_anyEPC=${encodeURIComponent(epcOf(spread(k, items)))}`;
  }
  const days = Math.max(1, Math.floor((events * SPACING_MS) / DAY_MS));
  const slot = spread(k, LOCATIONS * days);
  const from = T0_MS + Math.floor(slot / LOCATIONS) * DAY_MS;
  const params = new URLSearchParams({
    EQ_bizLocation: locationOf(slot % LOCATIONS),
    GE_eventTime: new Date(from).toISOString(),
    LT_eventTime: new Date(from + DAY_MS).toISOString(),
  });
  return `/events?${params.toString()}`;
}

/** How many distinct queries of a kind exist over a store of `events` events. */
export function distinctQueries(kind: QueryKind, events: number): number {
  if (kind === 'epc') return Math.floor(events / 4) * 4;
  return LOCATIONS * Math.max(1, Math.floor((events * SPACING_MS) / DAY_MS));
}
