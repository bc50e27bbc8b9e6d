// Convergence of a fleet: three sites and a hub, each its own process with its own SQLite file, on
// the real RabbitMQ. Every site captures random events concurrently while each node's link to the
// broker flaps at random (cut, stall, mid-frame drop). Once the links heal and the outboxes drain:
// the hub holds exactly the union of all sites' events, each once by eventID; every site holds its
// own events plus those addressed to it; and the hub's tracking answers equal those of a service
// that captured the union once, with no sync.
//
// CONVERGENCE_SEED fixes the events and the fault plan (CI uses the default); CONVERGENCE_DOCS sets
// the documents per capture client (scripts/soak.sh raises it and draws seeds at random).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, type FleetNode } from '../../helpers/fleet.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import { captureLoad, holding, idsOf, listedEventIds, sleep } from './support/fleet-checks.js';
import {
  ALL_POOL_EPCS,
  capture,
  CONTAINER_POOL,
  expectationOf,
  planDocument,
  type Random,
  routesFor,
  seeded,
} from './support/traffic.js';

const SEED = Number(process.env['CONVERGENCE_SEED'] ?? 20_261_125);
const DOCUMENTS_PER_CLIENT = Number(process.env['CONVERGENCE_DOCS'] ?? 12);
const CLIENTS_PER_SITE = 2;
const SITES = ['s1', 's2', 's3'] as const;
const ROUTES = routesFor(SITES);
const SETTLE_TIMEOUT_MS = 60_000;
/** Bounds that grow with the traffic, so a longer soak round is not cut short. */
const CAPTURE_BOUND_MS = 30_000 + DOCUMENTS_PER_CLIENT * 3_000;
const TEST_TIMEOUT_MS = 2 * SETTLE_TIMEOUT_MS + CAPTURE_BOUND_MS + 30_000;

type Fault = 'cut' | 'stall' | 'drop' | 'none';

/**
 * Flaps one node's link until `running()` turns false and it has inflicted at least one real fault:
 * a random pause, then a random fault for a random time, then heal. Returns the faults it inflicted.
 * (A fast machine can finish capturing before the first pause ends; the outbox then drains through
 * the fault instead, which still exercises the link.)
 */
async function flap(node: FleetNode, random: Random, running: () => boolean): Promise<Fault[]> {
  const inflicted: Fault[] = [];
  const faultedOnce = () => inflicted.some((fault) => fault !== 'none');
  while (running() || !faultedOnce()) {
    await sleep(200 + random() * 800);
    if (!running() && faultedOnce()) break;
    const draw = random();
    const fault: Fault = draw < 0.3 ? 'cut' : draw < 0.55 ? 'stall' : draw < 0.8 ? 'drop' : 'none';
    inflicted.push(fault);
    if (fault === 'cut') {
      node.proxy.cut();
      await sleep(200 + random() * 1300);
    } else if (fault === 'stall') {
      node.proxy.stall();
      await sleep(1000 + random() * 2500);
    } else if (fault === 'drop') {
      // Not awaited: a drop waits for the next chunk, which an idle link may not send soon.
      void node.proxy.dropMidFrame(random() < 0.5 ? 'toUpstream' : 'toClient', 0.2 + random() * 0.6);
      await sleep(300);
    }
    node.proxy.heal();
  }
  return inflicted;
}

/** GET /epcs/{epc}/state and, for containers, GET /epcs/{epc}/contents (children sorted). */
async function trackingAnswers(baseUrl: string): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  for (const epc of ALL_POOL_EPCS) {
    answers[`state ${epc}`] = await get(`/epcs/${encodeURIComponent(epc)}/state`);
  }
  for (const container of CONTAINER_POOL) {
    const contents = await get(`/epcs/${encodeURIComponent(container)}/contents`);
    const body = contents.body as { children?: { epc: string }[] };
    if (Array.isArray(body.children)) body.children.sort((a, b) => a.epc.localeCompare(b.epc));
    answers[`contents ${container}`] = contents;
  }
  return answers;
}

describe('a fleet whose links flap while every site captures', () => {
  let fleet: Fleet | null = null;
  const references = new ServiceGroup();
  let referenceDir: TempDir | null = null;

  beforeAll(() => assertServiceBuilt());
  afterEach(async () => {
    await references.killAll();
    referenceDir?.remove();
    await fleet?.close();
    fleet = null;
  });

  it(
    `converges: the hub holds the union once, sites their own and addressed events, the same tracking answers (seed ${SEED})`,
    async () => {
      const f = (fleet = await Fleet.start({ sites: SITES, routes: ROUTES }));
      // One generator per site and one per flapping link, so each draws the same sequence whatever
      // the interleaving of the others.
      const siteRandom = SITES.map((_, i) => seeded(SEED * 31 + i));
      const linkRandom = f.nodes.map((_, i) => seeded(SEED * 17 + i));

      let capturing = true;
      const flapping = f.nodes.map((node, i) => flap(node, linkRandom[i]!, () => capturing));
      const loads = f.sites.map((site, siteIndex) =>
        captureLoad(site.baseUrl, {
          clients: CLIENTS_PER_SITE,
          documentsPerClient: DOCUMENTS_PER_CLIENT,
          plan: (client, step) =>
            planDocument(
              siteRandom[siteIndex]!,
              SITES,
              siteIndex,
              1 + Math.floor(siteRandom[siteIndex]!() * 15),
              `${site.name}-${client}-${step}`,
            ),
          deadlineMs: Date.now() + CAPTURE_BOUND_MS,
        }),
      );
      const attempts = (await Promise.all(loads)).flat();
      capturing = false;
      const faults = (await Promise.all(flapping)).flat();
      f.healAll();

      // Capture never depends on the broker: every document was acknowledged.
      expect(attempts.filter((a) => a.outcome !== 'acked').map((a) => a.detail)).toEqual([]);
      expect(attempts.length).toBe(SITES.length * CLIENTS_PER_SITE * DOCUMENTS_PER_CLIENT);
      expect(
        faults.filter((fault) => fault !== 'none').length,
        `faults: ${faults.join(' ')}`,
      ).toBeGreaterThan(0);

      const expected = expectationOf(
        SITES,
        attempts.map((a) => a.plan),
      );
      const { acked } = idsOf(attempts);
      expect(expected.all).toEqual(acked);
      await f.waitForOutboxesDrained(SETTLE_TIMEOUT_MS);
      for (const node of f.nodes) {
        const want = node.role === 'hub' ? expected.all : expected.bySite.get(node.name)!;
        await f.waitUntil(
          () => holding(node, want, want).missing.length === 0,
          () => `${node.name} misses ${holding(node, want, want).missing.length} of ${want.size} events`,
          SETTLE_TIMEOUT_MS,
          200,
        );
      }
      // Let late redeliveries (after the last reconnects) arrive before counting.
      await sleep(1000);

      const hub = holding(f.hub, expected.all, expected.all);
      expect(hub, 'the hub holds exactly the union, each event once').toEqual({
        rows: expected.all.size,
        duplicates: [],
        missing: [],
        unexpected: [],
      });
      const listed = await listedEventIds(f.hub);
      expect(listed.length).toBe(expected.all.size);
      expect(new Set(listed)).toEqual(expected.all);
      for (const site of f.sites) {
        const want = expected.bySite.get(site.name)!;
        expect(holding(site, want, want), `${site.name} holds its own and addressed events once`).toEqual({
          rows: want.size,
          duplicates: [],
          missing: [],
          unexpected: [],
        });
      }

      // A service with no sync captures the union once (site by site, in capture order); the hub,
      // which received it interleaved, repeated and reordered, must answer exactly the same.
      referenceDir = tempDataDir('edgetrace-reference-');
      const reference = await references.start({ dataDir: referenceDir.dir });
      for (const attempt of attempts)
        expect((await capture(reference.baseUrl, attempt.plan)).outcome).toBe('acked');
      const atHub = await trackingAnswers(f.hub.baseUrl);
      const replayed = await trackingAnswers(reference.baseUrl);
      expect(
        Object.values(atHub).filter((a) => (a as { status: number }).status === 200).length,
      ).toBeGreaterThan(ALL_POOL_EPCS.length / 2);
      expect(atHub).toEqual(replayed);
    },
    TEST_TIMEOUT_MS,
  );
});
