// The data the tracking benchmark seeds and asks about, so seeding, load generators and checks see
// one shape. Tracked items: EPC i (0 … epcs - 1) is commissioned by an ObjectEvent of
// EPCS_PER_EVENT items at one of LOCATIONS sites. Recall scenario: one raw-material lot is consumed
// by a transformation (one transformationID over several events) whose events output the trace
// items; the items are packed into cases and the cases onto pallets, which are shipped to a few
// distribution centres. A forward trace from the lot reaches items, cases and pallets.
import { spread } from '../service/payloads.js';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
/** The JSON-LD prefix of the benchmark's own extension fields (send time, event number). */
export const BENCH_NAMESPACE = { bench: 'https://edgetrace.example/bench/' };
export const EPCS_PER_EVENT = 1000;
export const LOCATIONS = 200;
export const ITEMS_PER_CASE = 20;
export const CASES_PER_PALLET = 20;
const DISTRIBUTION_CENTRES = 5;
const T0_MS = Date.UTC(2026, 0, 1);
const HOUR_MS = 3_600_000;
const COMPANY = '4012345';
/** Item reference (indicator digit first) of the tracked items, of the trace items and of the lot. */
const TRACKED_ITEM_REF = '011111';
const TRACE_ITEM_REF = '033333';
const LOT_ITEM_REF = '044444';
export const LOT = `urn:epc:class:lgtin:${COMPANY}.${LOT_ITEM_REF}.LOT-2026-001`;
const TRANSFORMATION_ID = 'urn:uuid:5b0e1f0a-7c1d-4c8e-9a43-2b6f0d1e0001';

type Json = Record<string, unknown>;

export function trackedEpc(i: number): string {
  return `urn:epc:id:sgtin:${COMPANY}.${TRACKED_ITEM_REF}.${i}`;
}

/** GTIN-14 of an SGTIN's company prefix and item reference: indicator first, mod-10 check digit last. */
function gtin14(company: string, itemRef: string): string {
  const body = itemRef.slice(0, 1) + company + itemRef.slice(1);
  const sum = [...body].reverse().reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** The GS1 Digital Link of tracked item i, as the core renders it (the state section checks it does). */
export function trackedDigitalLink(i: number): string {
  return `https://id.gs1.org/01/${gtin14(COMPANY, TRACKED_ITEM_REF)}/21/${i}`;
}

/** The seeded item the k-th state lookup asks about: a fixed pseudo-random order of all of them. */
export function stateItem(k: number, epcs: number): number {
  return spread(k, epcs);
}

/** Path of the k-th state lookup: even k by EPC URN, odd k by URL-encoded Digital Link. */
export function statePath(k: number, epcs: number): string {
  const item = stateItem(k, epcs);
  const id = k % 2 === 0 ? trackedEpc(item) : encodeURIComponent(trackedDigitalLink(item));
  return `/epcs/${id}/state`;
}

export function tracePath(perPage: number): string {
  return `/trace/${encodeURIComponent(LOT)}?direction=forward&perPage=${perPage}`;
}

function document(eventList: Json[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date(T0_MS).toISOString(),
      epcisBody: { eventList },
    }),
  );
}

function at(ms: number): Json {
  return { eventTime: new Date(ms).toISOString(), eventTimeZoneOffset: '+00:00' };
}

const site = (n: number) => `urn:epc:id:sgln:${COMPANY}.00012.${n}`;
const readPoint = (n: number) => `urn:epc:id:sgln:${COMPANY}.00011.${n}`;
const traceItem = (j: number) => `urn:epc:id:sgtin:${COMPANY}.${TRACE_ITEM_REF}.${j}`;
const sscc = (serial: number) => `urn:epc:id:sscc:${COMPANY}.${String(serial).padStart(10, '0')}`;
const caseOf = (c: number) => sscc(1_000_000 + c);
const palletOf = (p: number) => sscc(2_000_000 + p);

/** Commissioning event e: tracked items e * EPCS_PER_EVENT … (e + 1) * EPCS_PER_EVENT - 1. */
function commissioning(e: number): Json {
  return {
    type: 'ObjectEvent',
    ...at(T0_MS + e * 60_000),
    epcList: Array.from({ length: EPCS_PER_EVENT }, (_, k) => trackedEpc(e * EPCS_PER_EVENT + k)),
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: readPoint(e % LOCATIONS) },
    bizLocation: { id: site(e % LOCATIONS) },
  };
}

/** Documents commissioning `epcs` items, `eventsPerDocument` 1000-EPC ObjectEvents each. */
export function* commissioningDocuments(epcs: number, eventsPerDocument: number): Generator<Buffer> {
  const events = epcs / EPCS_PER_EVENT;
  for (let first = 0; first < events; first += eventsPerDocument) {
    const count = Math.min(eventsPerDocument, events - first);
    yield document(Array.from({ length: count }, (_, k) => commissioning(first + k)));
  }
}

/** How many nodes a forward trace from the lot reaches: items, their cases and the cases' pallets. */
export function traceNodes(items: number): { items: number; cases: number; pallets: number } {
  const cases = Math.ceil(items / ITEMS_PER_CASE);
  return { items, cases, pallets: Math.ceil(cases / CASES_PER_PALLET) };
}

/**
 * The recall scenario as documents, in capture order: the transformation (1000 outputs per event),
 * packing items into cases, cases onto pallets, and shipping the pallets.
 */
export function traceDocuments(items: number): Buffer[] {
  const { cases, pallets } = traceNodes(items);
  const day = T0_MS + 30 * 24 * HOUR_MS;
  const plant = { readPoint: { id: readPoint(0) }, bizLocation: { id: site(0) } };
  const transformation = Array.from({ length: Math.ceil(items / EPCS_PER_EVENT) }, (_, e) => ({
    type: 'TransformationEvent',
    ...at(day + e * 1000),
    inputQuantityList: [{ epcClass: LOT, quantity: 50, uom: 'KGM' }],
    outputEPCList: Array.from({ length: Math.min(EPCS_PER_EVENT, items - e * EPCS_PER_EVENT) }, (_, k) =>
      traceItem(e * EPCS_PER_EVENT + k),
    ),
    transformationID: TRANSFORMATION_ID,
    bizStep: 'commissioning',
    disposition: 'active',
    ...plant,
  }));
  const packing = (parent: string, children: string[], ms: number): Json => ({
    type: 'AggregationEvent',
    ...at(ms),
    parentID: parent,
    childEPCs: children,
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    ...plant,
  });
  const caseEvents = Array.from({ length: cases }, (_, c) =>
    packing(
      caseOf(c),
      Array.from({ length: Math.min(ITEMS_PER_CASE, items - c * ITEMS_PER_CASE) }, (_, k) =>
        traceItem(c * ITEMS_PER_CASE + k),
      ),
      day + HOUR_MS + c * 100,
    ),
  );
  const palletEvents = Array.from({ length: pallets }, (_, p) =>
    packing(
      palletOf(p),
      Array.from({ length: Math.min(CASES_PER_PALLET, cases - p * CASES_PER_PALLET) }, (_, k) =>
        caseOf(p * CASES_PER_PALLET + k),
      ),
      day + 2 * HOUR_MS + p * 1000,
    ),
  );
  const shipping = Array.from({ length: pallets }, (_, p) => ({
    type: 'ObjectEvent',
    ...at(day + 24 * HOUR_MS + p * 1000),
    epcList: [palletOf(p)],
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    readPoint: { id: readPoint(LOCATIONS + (p % DISTRIBUTION_CENTRES)) },
    bizLocation: { id: site(LOCATIONS + (p % DISTRIBUTION_CENTRES)) },
  }));
  return [document(transformation), document(caseEvents), document(palletEvents), document(shipping)];
}

/**
 * Body of POST /events for the live-feed run: event n of a run carries its number and the
 * generator's monotonic clock (ms, process.hrtime: one clock for every process on the machine) at
 * the moment it was built, right before it is sent, as extension fields the SSE frames repeat.
 */
export function stampedEvent(serial: number, n: number): string {
  return JSON.stringify({
    '@context': [EPCIS_CONTEXT, BENCH_NAMESPACE],
    type: 'ObjectEvent',
    ...at(T0_MS + serial),
    epcList: [`urn:epc:id:sgtin:${COMPANY}.055555.${serial}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: readPoint(serial % LOCATIONS) },
    bizLocation: { id: site(serial % LOCATIONS) },
    'bench:n': n,
    'bench:sentAt': Number(process.hrtime.bigint()) / 1e6,
  });
}
