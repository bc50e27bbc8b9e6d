// What the inbound tests of the pair share: the records of DATA_DIR/inbound/ (read with the
// journal reader the sidecar itself uses), the tracking answers to compare, and the documents.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { splitJournal } from '../../../../host/journal/journal-records.js';
import {
  aggregationEvent,
  epcisDocument,
  objectEvent,
  sgtin,
  sscc,
} from '../../../helpers/epcis-builders.js';

export interface InboundRecord {
  seq: number;
  segment: string;
  eventId: string;
}

/** Every whole record of every inbound segment, in name order; a torn tail is left out. */
export function readInbound(dataDir: string): InboundRecord[] {
  const dir = join(dataDir, 'inbound');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{20}\.log$/.test(name))
    .sort()
    .flatMap((segment) =>
      splitJournal(readFileSync(join(dir, segment))).records.map((r) => ({
        seq: r.seq,
        segment,
        eventId: (JSON.parse(r.payload.toString('utf8')) as { eventId: string }).eventId,
      })),
    );
}

/** Seqs 1, 2, … without a gap, each event once, each segment named after its first record. */
export function expectDenseOnce(records: readonly InboundRecord[], eventIds: readonly string[]): void {
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
  expect(records.map((r) => r.eventId).sort()).toEqual([...eventIds].sort());
  for (const [i, record] of records.entries()) {
    if (i === 0 || records[i - 1]!.segment !== record.segment)
      expect(Number(record.segment.slice(0, 20)), record.segment).toBe(record.seq);
  }
}

/** GET /epcs/{epc}/state of each EPC, and /contents (depth 1 and 3, children sorted) of each container. */
export async function trackingAnswers(
  baseUrl: string,
  epcs: readonly string[],
  containers: readonly string[],
): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  for (const epc of epcs) answers[`state ${epc}`] = await get(`/epcs/${encodeURIComponent(epc)}/state`);
  for (const container of containers) {
    for (const depth of [1, 3]) {
      const contents = await get(`/epcs/${encodeURIComponent(container)}/contents?depth=${depth}`);
      sortChildren(contents.body);
      answers[`contents ${container} depth ${depth}`] = contents;
    }
  }
  return answers;
}

function sortChildren(node: unknown): void {
  const children = (node as { children?: { epc: string }[] } | null)?.children;
  if (!Array.isArray(children)) return;
  children.sort((a, b) => a.epc.localeCompare(b.epc));
  for (const child of children) sortChildren(child);
}

export interface Story {
  documents: Buffer[];
  eventIds: string[];
  epcs: string[];
  containers: string[];
}

/**
 * `pallets` pallets at `location`, numbered from `first`: items commissioned, packed into cases,
 * the cases onto the pallet, an item taken out again and observed at another read point. One
 * document per pallet; every event at `location`, so SITE_ROUTES addresses all of them there.
 */
export function palletStory(first: number, pallets: number, location: string, readPoint: string): Story {
  const story: Story = { documents: [], eventIds: [], epcs: [], containers: [] };
  for (let p = first; p < first + pallets; p++) {
    const pallet = sscc(900_000 + p);
    const cases = [sscc(910_000 + 2 * p), sscc(910_001 + 2 * p)];
    const items = Array.from({ length: 6 }, (_, i) => sgtin(p * 100 + i));
    const where = { bizLocation: location, readPoint };
    const events = [
      objectEvent('2026-03-01T08:00:00Z', 'ADD', items, {
        ...where,
        bizStep: 'commissioning',
        disposition: 'active',
      }),
      aggregationEvent('2026-03-01T08:05:00Z', 'ADD', cases[0]!, items.slice(0, 3), {
        ...where,
        bizStep: 'packing',
      }),
      aggregationEvent('2026-03-01T08:06:00Z', 'ADD', cases[1]!, items.slice(3), {
        ...where,
        bizStep: 'packing',
      }),
      aggregationEvent('2026-03-01T08:10:00Z', 'ADD', pallet, cases, { ...where, bizStep: 'packing' }),
      aggregationEvent('2026-03-01T09:00:00Z', 'DELETE', cases[1]!, [items[5]!], {
        ...where,
        bizStep: 'unpacking',
      }),
      objectEvent('2026-03-01T09:30:00Z', 'OBSERVE', [items[5]!], { ...where, readPoint: `${readPoint}9` }),
    ];
    for (const [i, event] of events.entries()) {
      event['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(p * 10 + i).padStart(12, '0')}`;
      story.eventIds.push(event['eventID'] as string);
    }
    story.documents.push(Buffer.from(JSON.stringify(epcisDocument(events))));
    story.epcs.push(pallet, ...cases, ...items);
    story.containers.push(pallet, ...cases);
  }
  return story;
}

export async function capture(baseUrl: string, body: Buffer): Promise<number> {
  const response = await fetch(`${baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Polls until the two values are equal (or `timeoutMs` passes) and returns the last pair read. */
export async function converge<T>(
  read: () => Promise<{ actual: T; expected: T }>,
  timeoutMs: number,
): Promise<{ actual: T; expected: T }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pair = await read();
    if (isDeepStrictEqual(pair.actual, pair.expected) || Date.now() > deadline) return pair;
    await new Promise((done) => setTimeout(done, 100));
  }
}
