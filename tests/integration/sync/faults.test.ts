// Sync over a broken network, against the real RabbitMQ: each node's link to the broker runs
// through a fault proxy that cuts it (reset), stalls it (bytes held, sockets open: only heartbeats
// notice) or drops it in the middle of a frame. Whatever happens on the link while a site publishes
// or the hub consumes, every acknowledged capture reaches the hub and the sites it is addressed to,
// each stored once; and deliveries the broker repeats or reorders are applied once, with the same
// result as one in-order delivery.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrackerCore } from '../../../host/core/gateway.js';
import { syncNames } from '../../../host/sync/topology.js';
import { BROKER_URL, Fleet } from '../../helpers/fleet.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import {
  backlogForHub,
  captureLoad,
  holding,
  idsOf,
  listedEventIds,
  sleep,
  waitForHolding,
} from './support/fleet-checks.js';
import { ghostMessages, publishDirectly, queueState } from './support/ghost-site.js';
import {
  type CaptureAttempt,
  capture,
  expectationOf,
  planDocument,
  routesFor,
  seeded,
} from './support/traffic.js';

const SEED = Number(process.env['SYNC_TEST_SEED'] ?? 20_261_125);
const SITES = ['s1', 's2'] as const;
const ROUTES = routesFor(SITES);
/** Longer than two 1 s heartbeats: only the heartbeat can tell a stalled link from a quiet one. */
const STALL_MS = 3500;
const DRAIN_TIMEOUT_MS = 45_000;

/** Polls until `condition` holds (bounded). */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('sync over a faulty link to the broker', () => {
  let fleet: Fleet | null = null;
  let core: TrackerCore;
  const references = new ServiceGroup();
  let referenceDir: TempDir;

  beforeAll(async () => {
    assertServiceBuilt();
    core = await TrackerCore.load();
  });
  beforeEach(() => {
    referenceDir = tempDataDir('edgetrace-reference-');
  });
  afterEach(async () => {
    await references.killAll();
    referenceDir.remove();
    await fleet?.close();
    fleet = null;
  });

  /** Checks the hub and every site against the acknowledged (must hold) and planned (may hold) captures. */
  async function expectDelivered(f: Fleet, attempts: readonly CaptureAttempt[]): Promise<void> {
    const { acked, planned } = idsOf(attempts);
    await f.waitForOutboxesDrained(DRAIN_TIMEOUT_MS);
    await waitForHolding(f, f.hub, acked, DRAIN_TIMEOUT_MS);
    const hub = holding(f.hub, acked, planned);
    expect(hub.missing, 'acknowledged events missing at the hub').toEqual([]);
    expect(hub.unexpected, 'events at the hub that nobody captured').toEqual([]);
    expect(hub.duplicates, 'events stored twice at the hub').toEqual([]);
    const listed = await listedEventIds(f.hub);
    expect(listed.length, 'GET /events at the hub lists an event twice').toBe(new Set(listed).size);
    expect(new Set(listed)).toEqual(new Set(f.hub.storedEvents().map((r) => r.event_id)));

    const mustHave = expectationOf(
      SITES,
      attempts.filter((a) => a.outcome === 'acked').map((a) => a.plan),
    );
    const mayHave = expectationOf(
      SITES,
      attempts.map((a) => a.plan),
    );
    for (const site of f.sites) {
      await waitForHolding(f, site, mustHave.bySite.get(site.name)!, DRAIN_TIMEOUT_MS);
      const held = holding(site, mustHave.bySite.get(site.name)!, mayHave.bySite.get(site.name)!);
      expect(held.missing, `${site.name} misses events captured or addressed to it`).toEqual([]);
      expect(held.unexpected, `${site.name} holds events neither its own nor addressed to it`).toEqual([]);
      expect(held.duplicates).toEqual([]);
    }
  }

  it('a site whose link is cut, stalled and broken mid-frame while it publishes delivers every acknowledged event once', async () => {
    // One small batch in flight at a time: the relay drains its backlog in many confirm round trips,
    // so each fault below finds it mid-way.
    const f = (fleet = await Fleet.start({
      sites: SITES,
      routes: ROUTES,
      nodeEnv: { s1: { SYNC_PUBLISH_BATCH: '20', SYNC_PUBLISH_WINDOW: '1' } },
    }));
    const random = seeded(SEED);
    const s1 = f.site('s1');
    // A backlog first (the link is down while s1 captures), so that once it heals the relay is
    // busy publishing for a while; capture goes on throughout.
    s1.proxy.cut();
    const backlog = await captureLoad(s1.baseUrl, {
      clients: 2,
      documentsPerClient: 40,
      plan: (client, step) => planDocument(random, SITES, 0, 25, `s1-backlog-${client}-${step}`),
      deadlineMs: Date.now() + 40_000,
    });
    expect(s1.outboxDepth()).toBe(2000);
    const during = captureLoad(s1.baseUrl, {
      clients: 1,
      documentsPerClient: 40,
      plan: (client, step) => planDocument(random, SITES, 0, 10, `s1-during-${client}-${step}`),
      deadlineMs: Date.now() + 40_000,
    });

    // Each fault strikes an established connection while the relay is draining the backlog: both
    // links connected, confirms arriving (the outbox shrank since then), the outbox not empty.
    const outboxAtFault: number[] = [];
    const strike = async (fault: () => Promise<void> | void) => {
      await s1.waitForSyncOk();
      const before = s1.outboxDepth();
      await f.waitUntil(
        () => s1.outboxDepth() < before - 20,
        () => `s1 to publish from its outbox (it holds ${s1.outboxDepth()})`,
        20_000,
        10,
      );
      outboxAtFault.push(s1.outboxDepth());
      await fault();
    };
    s1.proxy.heal();
    await strike(async () => {
      s1.proxy.cut();
      await sleep(800);
      s1.proxy.heal();
    });
    await strike(async () => {
      s1.proxy.stall();
      await sleep(STALL_MS);
      s1.proxy.heal();
    });
    await strike(() => s1.proxy.dropMidFrame('toUpstream', 0.3));
    await strike(() => s1.proxy.dropMidFrame('toUpstream', 0.5));
    await strike(() => s1.proxy.dropMidFrame('toUpstream', 0.7));
    const attempts = [...backlog, ...(await during)];

    expect(
      outboxAtFault.filter((depth) => depth > 0).length,
      `outbox at each fault: ${outboxAtFault.join(', ')}`,
    ).toBe(5);
    expect(s1.proxy.stats().midFrameDrops).toBe(3);
    expect(
      attempts.filter((a) => a.outcome !== 'acked').map((a) => a.detail),
      'captures refused while the link was down',
    ).toEqual([]);
    await expectDelivered(f, attempts);
    // Every fault broke at least one established connection, which s1 then re-established.
    expect(await counterSum(s1.baseUrl, 'edgetrace_sync_reconnects_total')).toBeGreaterThanOrEqual(5);
    await expectSyncHealthy(f);
  }, 120_000);

  it('the hub whose link is cut, stalled and broken mid-frame while it consumes applies every event once and leaves nothing unacknowledged', async () => {
    // A small prefetch makes the hub take its backlog in many small batches, so every fault below
    // lands while deliveries are still unacknowledged.
    const f = (fleet = await Fleet.start({
      sites: SITES,
      routes: ROUTES,
      nodeEnv: { hub: { SYNC_PREFETCH: '10' } },
    }));
    const random = seeded(SEED + 1);
    // A backlog at the broker: the hub is cut off while s1 captures and publishes.
    const { attempts, acked } = await backlogForHub(f, SITES, random, 's1', DRAIN_TIMEOUT_MS);
    const hubQueue = syncNames(f.namespace).hubQueue;
    expect((await queueState(BROKER_URL, hubQueue)).messageCount).toBe(acked.size);

    const stored = () => f.hub.storedEvents().length;
    const storedAtFault: number[] = [];
    const atProgress = async (share: number, fault: () => Promise<void> | void) => {
      await until(
        () => stored() > share * acked.size,
        `the hub to store ${share * 100}% of the backlog`,
        30_000,
      );
      // Only the consuming link matters here: waiting for the publish link too (whose reconnect
      // backoff runs independently) let the hub drain the whole backlog before a fault struck.
      await f.hub.waitForLink('consume');
      storedAtFault.push(stored());
      await fault();
    };
    f.hub.proxy.heal();
    await atProgress(0, () => f.hub.proxy.dropMidFrame('toClient', 0.5));
    await atProgress(0.25, async () => {
      f.hub.proxy.cut();
      await sleep(500);
      f.hub.proxy.heal();
    });
    await atProgress(0.5, async () => {
      f.hub.proxy.stall();
      await sleep(STALL_MS);
      f.hub.proxy.heal();
    });
    await atProgress(0.75, () => f.hub.proxy.dropMidFrame('toClient', 0.7));

    expect(
      storedAtFault.every((n) => n < acked.size),
      `faults struck at ${storedAtFault.join(', ')} of ${acked.size} stored`,
    ).toBe(true);
    expect(f.hub.proxy.stats().midFrameDrops).toBe(2);
    await expectDelivered(f, attempts);
    // Every delivery was acknowledged: nothing waits in the hub's queue, and its consumer is back.
    await f.waitUntil(
      async () => {
        const state = await queueState(BROKER_URL, hubQueue);
        return state.messageCount === 0 && state.consumerCount === 1;
      },
      () => 'the hub queue to be empty with one consumer',
      15_000,
    );
    expect(await counterSum(f.hub.baseUrl, 'edgetrace_sync_reconnects_total')).toBeGreaterThanOrEqual(4);
    await expectSyncHealthy(f);
  }, 120_000);

  it('duplicate and out-of-order deliveries from the broker are stored once and give the state of one in-order delivery', async () => {
    const f = (fleet = await Fleet.start({ sites: SITES, routes: ROUTES }));
    const random = seeded(SEED + 2);
    // Messages as site s1 would publish them, made without s1's process, published by the test
    // itself: each three times, the whole lot shuffled.
    const plans = Array.from({ length: 12 }, (_, d) => planDocument(random, SITES, 0, 15, `ghost-${d}`));
    const messages = ghostMessages(
      core,
      's1',
      plans.map((p) => p.body),
      ROUTES,
    );
    const tripled = [...messages, ...messages, ...messages];
    for (let i = tripled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [tripled[i], tripled[j]] = [tripled[j]!, tripled[i]!];
    }
    await publishDirectly(BROKER_URL, f.namespace, tripled);

    const expected = expectationOf(SITES, plans);
    await waitForHolding(f, f.hub, expected.all, DRAIN_TIMEOUT_MS);
    await waitForHolding(f, f.site('s2'), expected.bySite.get('s2')!, DRAIN_TIMEOUT_MS);
    const names = syncNames(f.namespace);
    // Wait until the repeats were delivered and acknowledged too, then count.
    await f.waitUntil(
      async () =>
        (await queueState(BROKER_URL, names.hubQueue)).messageCount === 0 &&
        (await queueState(BROKER_URL, names.siteQueue('s2'))).messageCount === 0,
      () => 'the hub and s2 queues to be empty',
      DRAIN_TIMEOUT_MS,
    );
    await sleep(500);
    const hub = holding(f.hub, expected.all, expected.all);
    expect(hub).toEqual({ rows: expected.all.size, duplicates: [], missing: [], unexpected: [] });
    const s2 = holding(f.site('s2'), expected.bySite.get('s2')!, expected.bySite.get('s2')!);
    expect(s2).toEqual({
      rows: expected.bySite.get('s2')!.size,
      duplicates: [],
      missing: [],
      unexpected: [],
    });
    const listed = await listedEventIds(f.hub);
    expect(listed.length).toBe(expected.all.size);
    // The origin and the records are s1's, as if s1 had sent them.
    expect(new Set(f.hub.storedEvents().map((r) => r.origin_site))).toEqual(new Set(['s1']));

    // The same documents captured once, in order, by a service with no sync: its state answers are
    // what the hub must answer after the shuffled, repeated delivery.
    const reference = await references.start({ dataDir: referenceDir.dir });
    for (const plan of plans) expect((await capture(reference.baseUrl, plan)).outcome).toBe('acked');
    const epcs = [...new Set(plans.flatMap((p) => p.epcs))].sort();
    const atHub = await stateAnswers(f.hub.baseUrl, epcs);
    expect(Object.values(atHub).map((a) => a.status)).toEqual(epcs.map(() => 200));
    expect(atHub).toEqual(await stateAnswers(reference.baseUrl, epcs));
  }, 120_000);
});

/** The sum of every series of a counter in /metrics. */
async function counterSum(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const series = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))];
  if (series.length === 0) throw new Error(`/metrics has no ${name}`);
  return series.reduce((sum, match) => sum + Number(match[1]), 0);
}

/** Once the links healed, every node reports its sync as ok on GET /health/sync. */
async function expectSyncHealthy(f: Fleet): Promise<void> {
  await f.waitUntil(
    async () => {
      const answers = await Promise.all(
        f.nodes.map(async (node) => {
          const response = await fetch(`${node.baseUrl}/health/sync`, {
            signal: AbortSignal.timeout(10_000),
          });
          return ((await response.json()) as { status?: string }).status;
        }),
      );
      return answers.every((status) => status === 'ok');
    },
    () => 'every node to report sync ok',
    20_000,
  );
}

/** GET /epcs/{epc}/state for each EPC: status and body. */
async function stateAnswers(
  baseUrl: string,
  epcs: readonly string[],
): Promise<Record<string, { status: number; body: unknown }>> {
  const answers: Record<string, { status: number; body: unknown }> = {};
  for (const epc of epcs) {
    const response = await fetch(`${baseUrl}/epcs/${encodeURIComponent(epc)}/state`, {
      signal: AbortSignal.timeout(10_000),
    });
    answers[epc] = { status: response.status, body: await response.json() };
  }
  return answers;
}
