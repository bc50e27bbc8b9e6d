import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateView } from '../../../host/tracking/state-view.js';
import {
  aggregationEvent,
  objectEvent,
  sgtin,
  sscc,
  transformationEvent,
} from '../../helpers/epcis-builders.js';
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

const pallet = sscc(1);
const cases = [sscc(11), sscc(12)];
const item = sgtin(900);
const flour = sgtin(901);
const bread = sgtin(902);
// Shipped from the plant through the dock and not received yet; read once on the way.
const shippedPallet = sscc(2);
const shippedCase = sscc(21);

let service: ServiceApp;

const state = async (epc: string, query = ''): Promise<StateView> => {
  const response = await get(service.app, `/epcs/${path(epc)}/state${query}`);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json<StateView>();
};

beforeAll(async () => {
  service = await buildServiceApp();
  await capture(
    service,
    objectEvent('2026-03-01T08:00:00Z', 'ADD', [...cases, pallet, item], {
      bizStep: 'commissioning',
      disposition: 'active',
      bizLocation: PLANT,
      readPoint: PLANT,
    }),
    aggregationEvent('2026-03-01T09:00:00Z', 'ADD', pallet, cases, {
      bizStep: 'packing',
      bizLocation: PLANT,
    }),
    objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [pallet], {
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: DOCK,
    }),
    // Arrives late, older than what the index already holds: must change nothing current.
    objectEvent('2026-03-02T05:00:00Z', 'OBSERVE', [pallet], {
      bizStep: 'receiving',
      disposition: 'in_progress',
      readPoint: WAREHOUSE,
      bizLocation: WAREHOUSE,
    }),
    // Only the second case leaves the pallet: the first stays inside.
    aggregationEvent('2026-03-02T06:00:00Z', 'DELETE', pallet, [cases[1]!], { bizStep: 'unpacking' }),
    objectEvent('2026-03-03T08:00:00Z', 'DELETE', [item], { bizStep: 'decommissioning', readPoint: PLANT }),
    transformationEvent('2026-03-04T08:00:00Z', [flour], [bread], {
      bizStep: 'commissioning',
      bizLocation: PLANT,
    }),
  );
  // Late and out of order: an older scan of the first case, after everything above.
  await capture(service, objectEvent('2026-03-01T08:30:00Z', 'OBSERVE', [cases[0]!], { readPoint: DOCK }));
  await capture(
    service,
    objectEvent('2026-03-05T08:00:00Z', 'ADD', [shippedPallet, shippedCase], {
      bizStep: 'commissioning',
      disposition: 'active',
      bizLocation: PLANT,
      readPoint: PLANT,
    }),
    aggregationEvent('2026-03-05T09:00:00Z', 'ADD', shippedPallet, [shippedCase], {
      bizStep: 'packing',
      bizLocation: PLANT,
    }),
    // The CBV shape of a shipment: no bizLocation, the goods are at none.
    objectEvent('2026-03-05T10:00:00Z', 'OBSERVE', [shippedPallet], {
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: DOCK,
    }),
    // A gate reader passed on the way notes damage: a readPoint and a disposition, no bizLocation.
    objectEvent('2026-03-05T14:00:00Z', 'OBSERVE', [shippedPallet], {
      disposition: 'damaged',
      readPoint: WAREHOUSE,
    }),
  );
});

afterAll(async () => {
  await service.close();
});

describe('GET /epcs/{epc}/state', () => {
  it('tells where a case is through the pallet it was packed on once the pallet was scanned later', async () => {
    const palletId = await canonicalOf(service, pallet);
    const s = await state(cases[0]!);
    expect(s.bizLocation).toBe(AT_PLANT);
    expect(s.readPoint).toBe(AT_DOCK);
    expect(s.parent).toEqual({
      epc: palletId,
      since: '2026-03-01T09:00:00.000Z',
      bizLocation: s.location.bizLocation,
      readPoint: s.location.readPoint,
    });
    expect(s.location.source).toBe('container');
    expect(s.location.via).toBe(palletId);
    expect(s.location.bizLocation).toBe(AT_WAREHOUSE);
    expect(s.location.readPoint).toBe(AT_WAREHOUSE);
    expect(s.lastEvent).toEqual({
      eventID: expect.stringMatching(/^ni:\/\/\/sha-256;/),
      eventTime: '2026-03-01T09:00:00.000Z',
      bizStep: expect.stringMatching(/packing$/),
    });
    expect(s.asOf).toBeNull();
  });

  it('keeps an item its own location when nothing it is inside was scanned after it', async () => {
    const s = await state(pallet);
    expect(s.parent).toBeNull();
    expect(s.childCount).toBe(1);
    expect(s.location).toEqual({
      bizLocation: s.bizLocation,
      readPoint: s.readPoint,
      source: 'self',
      via: null,
    });
    expect(s.disposition).toMatch(/in_progress$/);
  });

  it('answers a shipped pallet as in transit from the site it left, not as still being there', async () => {
    const s = await state(shippedPallet, '?asOf=2026-03-05T12:00:00Z');
    expect(s.location).toEqual({ bizLocation: null, readPoint: null, source: 'self', via: null });
    expect(s.inTransit).toEqual({
      since: '2026-03-05T10:00:00.000Z',
      from: { bizLocation: AT_PLANT, readPoint: AT_DOCK },
      via: null,
    });
    // The last bizLocation it reported stays a fact of its own.
    expect(s.bizLocation).toBe(AT_PLANT);
  });

  it('keeps a pallet in transit through scans on the way, showing where it was read last', async () => {
    const s = await state(shippedPallet);
    expect(s.disposition).toMatch(/damaged$/);
    expect(s.location).toEqual({ bizLocation: null, readPoint: AT_WAREHOUSE, source: 'self', via: null });
    expect(s.inTransit).toEqual({
      since: '2026-03-05T10:00:00.000Z',
      from: { bizLocation: AT_PLANT, readPoint: AT_DOCK },
      via: null,
    });
  });

  it('puts every item inside a shipped pallet in transit with it, through the pallet', async () => {
    const palletId = await canonicalOf(service, shippedPallet);
    const s = await state(shippedCase);
    expect(s.bizLocation).toBe(AT_PLANT);
    expect(s.location).toEqual({
      bizLocation: null,
      readPoint: AT_WAREHOUSE,
      source: 'container',
      via: palletId,
    });
    expect(s.inTransit).toEqual({
      since: '2026-03-05T10:00:00.000Z',
      from: { bizLocation: AT_PLANT, readPoint: AT_DOCK },
      via: palletId,
    });
    expect(s.parent).toMatchObject({ epc: palletId, bizLocation: null, readPoint: AT_WAREHOUSE });
  });

  it('ends the transit with the receipt that names a bizLocation, for the pallet and what is inside', async () => {
    const received = await state(pallet);
    expect(received.inTransit).toBeNull();
    expect(received.location.bizLocation).toBe(AT_WAREHOUSE);
    const inside = await state(cases[0]!);
    expect(inside.inTransit).toBeNull();
    expect(inside.location.bizLocation).toBe(AT_WAREHOUSE);
  });

  it('names the same item whether it is asked for as an EPC URN or a GS1 Digital Link', async () => {
    const byUrn = await state(cases[1]!);
    const byLink = await state(byUrn.epc);
    expect(byUrn.epc).toMatch(/^https:\/\/id\.gs1\.org\/00\//);
    expect(byLink).toEqual(byUrn);
  });

  it('answers for a past instant: on the way, before shipping, and before the case was packed', async () => {
    const onTheWay = await state(cases[0]!, '?asOf=2026-03-01T23:00:00Z');
    expect(onTheWay.asOf).toBe('2026-03-01T23:00:00.000Z');
    expect(onTheWay.location.bizLocation).toBeNull();
    expect(onTheWay.inTransit).toEqual({
      since: '2026-03-01T10:00:00.000Z',
      from: { bizLocation: AT_PLANT, readPoint: AT_DOCK },
      via: await canonicalOf(service, pallet),
    });
    const beforeShipping = await state(cases[0]!, '?asOf=2026-03-01T09:30:00Z');
    expect(beforeShipping.inTransit).toBeNull();
    expect(beforeShipping.location.bizLocation).toBe(AT_PLANT);
    const beforePacking = await state(cases[0]!, '?asOf=2026-03-01T08:45:00%2B00:00');
    expect(beforePacking.parent).toBeNull();
    expect(beforePacking.location.source).toBe('self');
    expect(beforePacking.lastEvent?.eventTime).toBe('2026-03-01T08:30:00.000Z');
    const palletBeforePacking = await state(pallet, '?asOf=2026-03-01T08:45:00Z');
    expect(palletBeforePacking.childCount).toBe(0);
    // Unpacking another case from the pallet does not take this one out.
    const afterUnpacking = await state(cases[0]!, '?asOf=2026-03-02T12:00:00Z');
    expect(afterUnpacking.parent?.epc).toBe(await canonicalOf(service, pallet));
    expect(afterUnpacking.location.bizLocation).toBe(AT_WAREHOUSE);
    expect((await state(cases[1]!, '?asOf=2026-03-02T12:00:00Z')).parent).toBeNull();
    expect((await state(pallet, '?asOf=2026-03-02T12:00:00Z')).childCount).toBe(1);
    const now = await state(cases[0]!);
    const later = await state(cases[0]!, '?asOf=2030-01-01T00:00:00Z');
    expect({ ...later, asOf: null }).toEqual(now);
  });

  it('reports decommissioning and transformation with the events that did them', async () => {
    const decommissioned = await state(item);
    expect(decommissioned.decommissioned).toBe(true);
    expect(decommissioned.decommissionedBy).toMatch(/^ni:\/\/\/sha-256;/);
    expect(decommissioned.commissionedBy).toMatch(/^ni:\/\/\/sha-256;/);
    const before = await state(item, '?asOf=2026-03-02T00:00:00Z');
    expect(before.decommissioned).toBe(false);
    expect(before.decommissionedBy).toBeNull();
    const input = await state(flour);
    const output = await state(bread);
    expect(input.transformed.consumedBy).toMatch(/^ni:\/\/\/sha-256;/);
    expect(output.transformed.producedBy).toBe(input.transformed.consumedBy);
    expect(output.commissionedBy).toBe(input.transformed.consumedBy);
  });

  it('answers 404 for an EPC no event names, or none up to asOf', async () => {
    const never = await get(service.app, `/epcs/${path(sgtin(777))}/state`);
    expect(never.statusCode).toBe(404);
    expect(never.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(never.json()).toMatchObject({ type: 'epcisException:NoSuchResourceException' });
    const notYet = await get(service.app, `/epcs/${path(bread)}/state?asOf=2026-03-01T00:00:00Z`);
    expect(notYet.statusCode).toBe(404);
  });

  it('answers 400 for a malformed EPC or asOf', async () => {
    const badEpc = await get(service.app, `/epcs/${path('urn:epc:id:sgtin:0614141.107346')}/state`);
    expect(badEpc.statusCode).toBe(400);
    expect(badEpc.json()).toMatchObject({ type: 'epcisException:QueryParameterException' });
    const badAsOf = await get(service.app, `/epcs/${path(pallet)}/state?asOf=yesterday`);
    expect(badAsOf.statusCode).toBe(400);
    expect(badAsOf.json()).toMatchObject({ parameter: 'asOf' });
  });
});
