import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceResponseSchema } from '../../../host/http/routes/tracking-schemas.js';
import {
  aggregationEvent,
  type EpcisEvent,
  lgtin,
  objectEvent,
  sgtin,
  sscc,
  transformationEvent,
} from '../../helpers/epcis-builders.js';
import type { TracePage as Trace } from '../../../host/tracking/trace-view.js';
import { nextLink } from '../../helpers/service-app.js';
import {
  AT_DOCK,
  AT_PLANT,
  AT_WAREHOUSE,
  buildServiceApp,
  canonicalOf,
  capture,
  DOCK,
  get,
  path,
  PLANT,
  type ServiceApp,
  WAREHOUSE,
} from './tracking-fixture.js';

const flourLot = lgtin('FLOUR1', '200001');
const sugar = sgtin(1, '200002');
const water = sgtin(2, '200002');
const dough = [sgtin(1, '200003'), sgtin(2, '200003'), sgtin(3, '200003')];
const bread = [sgtin(1, '200004'), sgtin(2, '200004')];
const crate = sscc(31);
const pallet = sscc(32);
const loopA = sscc(41);
const loopB = sscc(42);
const MIXING = 'urn:uuid:6a0e0000-0000-4000-8000-00000000000a';

let service: ServiceApp;
let dl: (id: string) => string;

const traceOf = async (origin: string, query: string): Promise<Trace> => {
  const response = await get(service.app, `/trace/${path(origin)}?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Trace>();
};
const brief = (t: Trace) => t.nodes.map((n) => [n.epc, n.depth, n.relation, n.from]);

function mixing(time: string, inputs: string[], outputs: string[], lot: boolean): EpcisEvent {
  const event = {
    ...transformationEvent(time, inputs, outputs, { bizLocation: PLANT }),
    transformationID: MIXING,
  };
  return lot ? { ...event, inputQuantityList: [{ epcClass: flourLot, quantity: 25, uom: 'KGM' }] } : event;
}

beforeAll(async () => {
  service = await buildServiceApp();
  await capture(
    service,
    // One transformation told by two events sharing a transformationID.
    mixing('2026-03-01T06:00:00Z', [sugar], [dough[0]!, dough[1]!], true),
    mixing('2026-03-01T06:05:00Z', [water], [dough[2]!], false),
    transformationEvent('2026-03-01T07:00:00Z', [dough[0]!], bread, { bizLocation: PLANT }),
    aggregationEvent('2026-03-01T08:00:00Z', 'ADD', crate, bread, { bizLocation: PLANT }),
    aggregationEvent('2026-03-01T08:10:00Z', 'ADD', pallet, [crate], { bizLocation: PLANT }),
    objectEvent('2026-03-02T08:00:00Z', 'OBSERVE', [pallet], { bizLocation: WAREHOUSE }),
    aggregationEvent('2026-03-01T09:00:00Z', 'ADD', loopA, [loopB]),
    aggregationEvent('2026-03-01T09:30:00Z', 'ADD', loopB, [loopA]),
    objectEvent('2026-03-01T09:40:00Z', 'ADD', [sgtin(9, '200004')], {}),
    aggregationEvent('2026-03-01T09:45:00Z', 'ADD', loopA, [sgtin(9, '200004')]),
  );
  const ids = new Map<string, string>();
  for (const id of [
    flourLot,
    sugar,
    water,
    ...dough,
    ...bread,
    crate,
    pallet,
    loopA,
    loopB,
    sgtin(9, '200004'),
  ]) {
    const response = await get(service.app, `/trace/${path(id)}?direction=backward&depth=1`);
    ids.set(id, response.json<Trace>().origin);
  }
  dl = (id) => ids.get(id)!;
});

afterAll(async () => {
  await service.close();
});

describe('GET /trace/{epc}', () => {
  it('follows a lot forward through transformations and the containers the products went into', async () => {
    const t = await traceOf(flourLot, 'direction=forward');
    expect(t.origin).toBe(dl(flourLot));
    expect(t.origin).toMatch(/\/10\/FLOUR1$/);
    expect(brief(t)).toEqual([
      [dl(dough[0]!), 1, 'output', dl(flourLot)],
      [dl(dough[1]!), 1, 'output', dl(flourLot)],
      [dl(dough[2]!), 1, 'output', dl(flourLot)],
      [dl(bread[0]!), 2, 'output', dl(dough[0]!)],
      [dl(bread[1]!), 2, 'output', dl(dough[0]!)],
      [dl(crate), 3, 'container', dl(bread[0]!)],
      [dl(pallet), 4, 'container', dl(crate)],
    ]);
    expect(t.nodes[0]!.via).toBe(MIXING);
    expect(t.total).toBe(7);
    expect(t.truncated).toBe(false);
    expect(t.truncation).toBeNull();
    // The bread travels on the pallet, which was received at the warehouse after it was packed.
    expect(t.nodes[3]!.state).toEqual({
      bizLocation: AT_WAREHOUSE,
      readPoint: null,
      disposition: null,
      decommissioned: false,
      inTransit: null,
    });
    expect(t.summaryByLocation).toEqual([
      { bizLocation: AT_WAREHOUSE, inTransit: false, from: null, count: 4 },
      { bizLocation: AT_PLANT, inTransit: false, from: null, count: 3 },
    ]);
  });

  it('takes the lot as a GS1 Digital Link just as well as an EPC class URN', async () => {
    const byUrn = await traceOf(flourLot, 'direction=forward');
    const byLink = await traceOf(dl(flourLot), 'direction=forward');
    expect(byLink).toEqual(byUrn);
  });

  it('follows a product backward to its inputs, the lot among them, and the containers it travelled in', async () => {
    const t = await traceOf(bread[0]!, 'direction=backward');
    expect(brief(t)).toEqual(
      [
        [dl(crate), 1, 'container', dl(bread[0]!)],
        [dl(dough[0]!), 1, 'input', dl(bread[0]!)],
        [dl(flourLot), 2, 'input', dl(dough[0]!)],
        [dl(sugar), 2, 'input', dl(dough[0]!)],
        [dl(water), 2, 'input', dl(dough[0]!)],
        [dl(pallet), 2, 'container', dl(crate)],
      ].sort((a, b) => (a[1] as number) - (b[1] as number) || String(a[0]).localeCompare(String(b[0]))),
    );
    expect(t.summaryByLocation).toEqual([]);
  });

  it('starts from a transformationID: forward its outputs, backward its inputs', async () => {
    const forward = await traceOf(MIXING, 'direction=forward&depth=1');
    expect(forward.origin).toBe(MIXING);
    expect(brief(forward)).toEqual(dough.map((d) => [dl(d), 1, 'output', MIXING]));
    const backward = await traceOf(MIXING, 'direction=backward&depth=1');
    expect(backward.nodes.map((n) => n.epc).sort()).toEqual([dl(flourLot), dl(sugar), dl(water)].sort());
  });

  it('marks a walk cut short by the depth limit', async () => {
    const t = await traceOf(flourLot, 'direction=forward&depth=2');
    expect(t.total).toBe(5);
    expect(t.truncated).toBe(true);
    expect(t.truncation).toEqual({ reason: 'depth', limit: 2 });
  });

  it('ends when containers were packed into each other', async () => {
    const item = sgtin(9, '200004');
    const t = await traceOf(item, 'direction=forward&depth=64');
    expect(brief(t)).toEqual([
      [dl(loopA), 1, 'container', dl(item)],
      [dl(loopB), 2, 'container', dl(loopA)],
    ]);
    expect(t.truncated).toBe(false);
  });

  it('answers 400 for a missing direction, a bad depth or page token, 404 for an unknown origin, 406 for EPC URNs', async () => {
    const cases: [string, number, string | undefined][] = [
      [`/trace/${path(pallet)}`, 400, 'direction'],
      [`/trace/${path(pallet)}?direction=sideways`, 400, 'direction'],
      [`/trace/${path(pallet)}?direction=forward&depth=0`, 400, 'depth'],
      [`/trace/${path(pallet)}?direction=forward&depth=65`, 400, 'depth'],
      [`/trace/${path(pallet)}?direction=forward&nextPageToken=forged.token`, 400, 'nextPageToken'],
      [`/trace/${path(sscc(999))}?direction=forward`, 404, undefined],
    ];
    for (const [url, status, parameter] of cases) {
      const response = await get(service.app, url);
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (parameter !== undefined) expect(response.json(), url).toMatchObject({ parameter });
    }
    const urn = await get(service.app, `/trace/${path(pallet)}?direction=forward`, {
      'GS1-EPC-Format': 'Always_EPC_URN',
    });
    expect(urn.statusCode).toBe(406);
  });
});

describe('GET /trace/{epc} while part of a recall is on its way', () => {
  const saltLot = lgtin('SALT1', '200005');
  const [shippedA, shippedB, received, ownShipment] = [1, 2, 3, 4].map((n) => sgtin(n, '200006'));
  const shippedCase = sscc(51);
  const receivedCase = sscc(52);
  const truckPallet = sscc(53);
  const shipping = { bizStep: 'shipping', disposition: 'in_transit', readPoint: DOCK };
  let transit: ServiceApp;

  beforeAll(async () => {
    transit = await buildServiceApp();
    await capture(
      transit,
      {
        ...transformationEvent('2026-03-01T06:00:00Z', [], [shippedA!, shippedB!, received!, ownShipment!], {
          bizLocation: PLANT,
        }),
        inputQuantityList: [{ epcClass: saltLot, quantity: 5, uom: 'KGM' }],
      },
      aggregationEvent('2026-03-01T07:00:00Z', 'ADD', shippedCase, [shippedA!, shippedB!], {
        bizLocation: PLANT,
      }),
      aggregationEvent('2026-03-01T07:00:00Z', 'ADD', receivedCase, [received!], { bizLocation: PLANT }),
      aggregationEvent('2026-03-01T07:30:00Z', 'ADD', truckPallet, [shippedCase], {
        bizLocation: PLANT,
        readPoint: PLANT,
      }),
      // The pallet leaves through the dock door with no bizLocation (CBV's shipping shape); the
      // other case arrives at the warehouse; one item is shipped on its own later.
      objectEvent('2026-03-01T08:00:00Z', 'OBSERVE', [truckPallet], shipping),
      objectEvent('2026-03-01T08:00:00Z', 'OBSERVE', [receivedCase], { bizLocation: WAREHOUSE }),
      objectEvent('2026-03-01T09:00:00Z', 'OBSERVE', [ownShipment!], shipping),
    );
  });
  afterAll(async () => {
    await transit.close();
  });

  it('marks each node in transit with since when, where it left from and the container it travels in', async () => {
    const response = await get(transit.app, `/trace/${path(saltLot)}?direction=forward`);
    expect(response.statusCode, response.body).toBe(200);
    const t = response.json<Trace>();
    const pallet = await canonicalOf(transit, truckPallet);
    const stateOf = async (id: string) => {
      const epc = await canonicalOf(transit, id);
      return t.nodes.find((n) => n.epc === epc)?.state;
    };
    const leftFromPlant = { bizLocation: AT_PLANT, readPoint: AT_DOCK };
    expect(await stateOf(shippedA!)).toEqual({
      bizLocation: null,
      readPoint: null,
      disposition: null,
      decommissioned: false,
      inTransit: { since: '2026-03-01T08:00:00.000Z', from: leftFromPlant, via: pallet },
    });
    expect((await stateOf(truckPallet))?.inTransit).toEqual({
      since: '2026-03-01T08:00:00.000Z',
      from: leftFromPlant,
      via: null,
    });
    expect((await stateOf(ownShipment!))?.inTransit).toEqual({
      since: '2026-03-01T09:00:00.000Z',
      from: leftFromPlant,
      via: null,
    });
    expect(await stateOf(received!)).toMatchObject({ bizLocation: AT_WAREHOUSE, inTransit: null });
  });

  it('counts the nodes on their way apart in the summary, by where they left from, not as an unknown location', async () => {
    const response = await get(transit.app, `/trace/${path(saltLot)}?direction=forward`);
    expect(response.statusCode, response.body).toBe(200);
    const t = response.json<Trace>();
    expect(t.total).toBe(7);
    // Two items and their case on the pallet, the pallet, and the item shipped on its own.
    expect(t.summaryByLocation).toEqual([
      { bizLocation: null, inTransit: true, from: AT_PLANT, count: 5 },
      { bizLocation: AT_WAREHOUSE, inTransit: false, from: null, count: 2 },
    ]);
    const valid = new Ajv({ allErrors: true }).compile(traceResponseSchema);
    expect(valid(t), JSON.stringify(valid.errors)).toBe(true);
  });
});

describe('a recall over a fan-out of more than 100,000 items', () => {
  const hub = sscc(77);
  const many = Array.from({ length: 100_001 }, (_, i) => sgtin(i + 1, '300001'));
  let fanOut: ServiceApp;

  beforeAll(async () => {
    fanOut = await buildServiceApp();
    await capture(fanOut, aggregationEvent('2026-03-01T08:00:00Z', 'ADD', hub, many, { bizLocation: PLANT }));
  });
  afterAll(async () => {
    await fanOut.close();
  });

  it('stops at 100,000 nodes with a truncation marker and pages through all of them', async () => {
    const first = await get(fanOut.app, `/trace/${path(hub)}?direction=forward&perPage=30000`);
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json<Trace>();
    expect(page.total).toBe(100_000);
    expect(page.truncated).toBe(true);
    expect(page.truncation).toEqual({ reason: 'node-limit', limit: 100_000 });
    expect(page.summaryByLocation).toEqual([
      { bizLocation: AT_PLANT, inTransit: false, from: null, count: 100_000 },
    ]);
    expect(page.nodes).toHaveLength(10_000);
    const seen = new Set(page.nodes.map((n) => n.epc));
    let next = nextLink(first);
    let pages = 1;
    while (next !== null && pages < 20) {
      const response = await get(fanOut.app, next);
      expect(response.statusCode, response.body).toBe(200);
      for (const node of response.json<Trace>().nodes) seen.add(node.epc);
      next = nextLink(response);
      pages++;
    }
    expect(pages).toBe(10);
    expect(seen.size).toBe(100_000);

    const tree = await get(fanOut.app, `/epcs/${path(hub)}/contents`);
    expect(tree.json()).toMatchObject({ total: 100_000, truncated: true });
  });
});
