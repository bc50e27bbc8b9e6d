// Events for fleet tests: seeded, schema-valid EPCIS documents whose every event carries its own
// eventID, so "each once, by eventID" can be checked anywhere. Some events take place at, or are
// shipped to, another site's location: SITE_ROUTES addresses those to that site too.
import type { EpcisEvent } from '../../../helpers/epcis-builders.js';
import {
  aggregationEvent,
  epcisDocument,
  objectEvent,
  sgln,
  sgtin,
  sscc,
} from '../../../helpers/epcis-builders.js';

export { seeded } from '../../../helpers/seeded-random.js';

export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

/** A v4-shaped UUID URN drawn from `random` (reproducible for a seed). */
export function seededEventId(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The SGLN of a site's dock (site index 0 → location 10000). */
export const siteLocation = (index: number): string => sgln(String(10_000 + index));

/** SITE_ROUTES for `sites`: each site's location GLN → its ID. */
export function routesFor(sites: readonly string[]): Record<string, string> {
  return Object.fromEntries(sites.map((site, i) => [siteLocation(i), site]));
}

export interface PlannedDocument {
  key: string;
  site: string;
  body: string;
  eventIds: string[];
  /** Sites (other than the capturing one) each event is addressed to, by eventID. */
  addressedTo: Map<string, string[]>;
  /** Instance EPCs the document names. */
  epcs: string[];
}

const ITEMS = Array.from({ length: 24 }, (_, i) => sgtin(9000 + i));
const CONTAINERS = Array.from({ length: 4 }, (_, i) => sscc(900 + i));
/** Every EPC planned events name (instance EPCs), and the containers among them. */
export const ALL_POOL_EPCS: readonly string[] = [...ITEMS, ...CONTAINERS];
export const CONTAINER_POOL: readonly string[] = CONTAINERS;
const BIZ_STEPS = ['receiving', 'shipping', 'storing', 'picking', 'packing'];
const DISPOSITIONS = ['in_progress', 'in_transit', 'active', 'sellable_accessible'];

/** Few distinct instants on purpose: equal eventTimes must be ordered by hash ID on every node. */
const instant = (random: Random) =>
  new Date(Date.UTC(2026, 10, 25, 8, Math.floor(random() * 20))).toISOString();

/**
 * One document of `count` random events captured at site `siteIndex` of `sites`: ObjectEvents and
 * AggregationEvents over a pool shared by all sites (so their states interleave). About a third
 * happen at another site's location or name it as the destination.
 */
export function planDocument(
  random: Random,
  sites: readonly string[],
  siteIndex: number,
  count: number,
  key: string,
): PlannedDocument {
  const events: EpcisEvent[] = [];
  const eventIds: string[] = [];
  const addressedTo = new Map<string, string[]>();
  const epcs = new Set<string>();
  for (let i = 0; i < count; i++) {
    const eventId = seededEventId(random);
    const elsewhere = sites.length > 1 && random() < 0.35;
    const other = elsewhere
      ? (siteIndex + 1 + Math.floor(random() * (sites.length - 1))) % sites.length
      : siteIndex;
    const shipTo = elsewhere && random() < 0.5;
    const location = siteLocation(shipTo ? siteIndex : other);
    const where = {
      bizLocation: location,
      readPoint: location,
      bizStep: pick(random, BIZ_STEPS),
      disposition: pick(random, DISPOSITIONS),
    };
    let event: EpcisEvent;
    if (random() < 0.7) {
      const list = [pick(random, ITEMS), pick(random, [...ITEMS, ...CONTAINERS])];
      const unique = [...new Set(list)];
      unique.forEach((epc) => epcs.add(epc));
      event = objectEvent(
        instant(random),
        pick(random, ['ADD', 'OBSERVE', 'OBSERVE'] as const),
        unique,
        where,
      );
    } else {
      const parent = pick(random, CONTAINERS);
      const children = [...new Set([pick(random, ITEMS), pick(random, ITEMS)])];
      [parent, ...children].forEach((epc) => epcs.add(epc));
      event = aggregationEvent(
        instant(random),
        pick(random, ['ADD', 'ADD', 'DELETE'] as const),
        parent,
        children,
        where,
      );
    }
    if (shipTo) {
      event['destinationList'] = [{ type: 'location', destination: siteLocation(other) }];
    }
    event['eventID'] = eventId;
    events.push(event);
    eventIds.push(eventId);
    if (other !== siteIndex) addressedTo.set(eventId, [sites[other]!]);
  }
  return {
    key,
    site: sites[siteIndex]!,
    body: JSON.stringify(epcisDocument(events)),
    eventIds,
    addressedTo,
    epcs: [...epcs],
  };
}

export type CaptureOutcome = 'acked' | 'refused' | 'failed';

export interface CaptureAttempt {
  plan: PlannedDocument;
  outcome: CaptureOutcome;
  detail: string;
}

/** POST /capture; acked only for a 202 whose job finished successfully (the events are committed). */
export async function capture(
  baseUrl: string,
  plan: PlannedDocument,
  timeoutMs = 10_000,
): Promise<CaptureAttempt> {
  try {
    const response = await fetch(`${baseUrl}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: plan.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.status === 202) {
      const job = JSON.parse(text) as { running?: unknown; success?: unknown };
      if (job.running === false && job.success === true) return { plan, outcome: 'acked', detail: '' };
    }
    return { plan, outcome: 'refused', detail: `${response.status} ${text.slice(0, 300)}` };
  } catch (error) {
    return { plan, outcome: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** What the fleet must hold at the end, from the acknowledged captures. */
export interface Expectation {
  /** Every acknowledged event: the hub must hold exactly these (plus any unacknowledged that landed). */
  all: Set<string>;
  /** Per site: its own acknowledged events plus those addressed to it. */
  bySite: Map<string, Set<string>>;
}

export function expectationOf(sites: readonly string[], acked: readonly PlannedDocument[]): Expectation {
  const all = new Set<string>();
  const bySite = new Map(sites.map((site) => [site, new Set<string>()]));
  for (const plan of acked) {
    for (const id of plan.eventIds) {
      all.add(id);
      bySite.get(plan.site)!.add(id);
      for (const site of plan.addressedTo.get(id) ?? []) bySite.get(site)!.add(id);
    }
  }
  return { all, bySite };
}
