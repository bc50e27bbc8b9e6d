// Load and checks shared by the sync fault tests: concurrent capture clients against one node, and
// what a node's SQLite file and its GET /events hold compared with what it must hold.
import { expect } from 'vitest';
import type { Fleet, FleetNode } from '../../../helpers/fleet.js';
import { listAllEvents } from '../../service/support/service-client.js';
import { type CaptureAttempt, capture, type PlannedDocument, planDocument, type Random } from './traffic.js';

export interface CaptureLoadOptions {
  clients: number;
  /** Upper bound on documents per client. */
  documentsPerClient: number;
  plan: (client: number, step: number) => PlannedDocument;
  /** Stop sending after this moment (Date.now()). */
  deadlineMs: number;
  /** A client stops at its first capture without an acknowledgement (its process was killed). */
  stopOnFailure?: boolean;
  onAttempt?: (attempt: CaptureAttempt) => void;
}

/** Concurrent clients, each posting one document at a time to `baseUrl`; resolves with every attempt. */
export async function captureLoad(baseUrl: string, options: CaptureLoadOptions): Promise<CaptureAttempt[]> {
  const attempts: CaptureAttempt[] = [];
  const client = async (id: number) => {
    for (let step = 0; step < options.documentsPerClient && Date.now() < options.deadlineMs; step++) {
      const attempt = await capture(baseUrl, options.plan(id, step));
      attempts.push(attempt);
      options.onAttempt?.(attempt);
      if (options.stopOnFailure === true && attempt.outcome !== 'acked') return;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, id) => client(id)));
  return attempts;
}

/**
 * A backlog at the broker for the hub: its link is cut while two clients capture 2,000 events at s1
 * (document keys `${keyPrefix}-client-step`), and s1's relay publishes them all. The link stays cut;
 * the caller heals it when the hub is to start on the backlog.
 */
export async function backlogForHub(
  f: Fleet,
  sites: readonly string[],
  random: Random,
  keyPrefix: string,
  drainTimeoutMs: number,
): Promise<{ attempts: CaptureAttempt[]; acked: Set<string> }> {
  f.hub.proxy.cut();
  const attempts = await captureLoad(f.site('s1').baseUrl, {
    clients: 2,
    documentsPerClient: 40,
    plan: (client, step) => planDocument(random, sites, 0, 25, `${keyPrefix}-${client}-${step}`),
    deadlineMs: Date.now() + 40_000,
  });
  const { acked } = idsOf(attempts);
  expect(acked.size).toBe(2000);
  await f.waitForOutboxesDrained(drainTimeoutMs);
  return { attempts, acked };
}

export interface Holding {
  /** Rows in the node's events table. */
  rows: number;
  /** eventIDs stored more than once (the store's uniqueness must make this empty). */
  duplicates: string[];
  /** Required eventIDs the node does not hold. */
  missing: string[];
  /** Stored eventIDs outside `allowed`. */
  unexpected: string[];
}

/** Compares a node's SQLite file with what it must hold (`required`) and may hold (`allowed`). */
export function holding(
  node: FleetNode,
  required: ReadonlySet<string>,
  allowed: ReadonlySet<string>,
): Holding {
  const ids = node.storedEvents().map((row) => row.event_id);
  const stored = new Set(ids);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) duplicates.push(id);
    seen.add(id);
  }
  return {
    rows: ids.length,
    duplicates,
    missing: [...required].filter((id) => !stored.has(id)),
    unexpected: [...stored].filter((id) => !allowed.has(id)),
  };
}

/** Waits until `node` holds every ID of `required`. */
export async function waitForHolding(
  fleet: Fleet,
  node: FleetNode,
  required: ReadonlySet<string>,
  timeoutMs: number,
): Promise<void> {
  await fleet.waitUntil(
    () => holding(node, required, required).missing.length === 0,
    () => {
      const h = holding(node, required, required);
      return `${node.name} misses ${h.missing.length} of ${required.size} events (holds ${h.rows})`;
    },
    timeoutMs,
    200,
  );
}

/** eventIDs GET /events lists on a running node, with repeats kept. */
export async function listedEventIds(node: FleetNode): Promise<string[]> {
  return (await listAllEvents(node.baseUrl)).map((event) => event.eventID);
}

/** The acknowledged documents' eventIDs, and every planned one (acknowledged or not). */
export function idsOf(attempts: readonly CaptureAttempt[]): { acked: Set<string>; planned: Set<string> } {
  const acked = new Set<string>();
  const planned = new Set<string>();
  for (const attempt of attempts) {
    for (const id of attempt.plan.eventIds) {
      planned.add(id);
      if (attempt.outcome === 'acked') acked.add(id);
    }
  }
  return { acked, planned };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
