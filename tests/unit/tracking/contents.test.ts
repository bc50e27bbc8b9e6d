import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregationEvent, objectEvent, sgtin, sscc } from '../../helpers/epcis-builders.js';
import { buildServiceApp, canonicalOf, capture, get, path, type ServiceApp } from './tracking-fixture.js';

const pallet = sscc(1);
const cases = [sscc(11), sscc(12)];
const items = [sgtin(1), sgtin(2), sgtin(3)];
const loopA = sscc(21);
const loopB = sscc(22);

let service: ServiceApp;

interface Tree {
  epc: string;
  childCount: number;
  children: Tree[];
}
interface Contents {
  container: string;
  depth: number;
  total: number;
  truncated: boolean;
  children: Tree[];
}

const contents = async (epc: string, query = ''): Promise<Contents> => {
  const response = await get(service.app, `/epcs/${path(epc)}/contents${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Contents>();
};

beforeAll(async () => {
  service = await buildServiceApp();
  await capture(
    service,
    objectEvent('2026-03-01T08:00:00Z', 'ADD', [pallet, ...cases, ...items]),
    aggregationEvent('2026-03-01T09:00:00Z', 'ADD', cases[0]!, [items[0]!, items[1]!]),
    aggregationEvent('2026-03-01T09:00:00Z', 'ADD', cases[1]!, [items[2]!]),
    aggregationEvent('2026-03-01T10:00:00Z', 'ADD', pallet, cases),
    // Unpacked again later: the item must leave the tree.
    aggregationEvent('2026-03-01T11:00:00Z', 'DELETE', cases[0]!, [items[1]!]),
    aggregationEvent('2026-03-01T09:00:00Z', 'ADD', loopA, [loopB]),
    aggregationEvent('2026-03-01T09:30:00Z', 'ADD', loopB, [loopA]),
  );
});

afterAll(async () => {
  await service.close();
});

describe('GET /epcs/{epc}/contents', () => {
  it('lists what a pallet holds now, one level by default, with each child’s count', async () => {
    const tree = await contents(pallet);
    const caseIds = await Promise.all(cases.map((c) => canonicalOf(service, c)));
    expect(tree).toEqual({
      container: await canonicalOf(service, pallet),
      depth: 1,
      total: 2,
      truncated: false,
      children: [
        { epc: caseIds[0], childCount: 1, children: [] },
        { epc: caseIds[1], childCount: 1, children: [] },
      ],
    });
  });

  it('walks down pallet → cases → items to the depth asked for', async () => {
    const tree = await contents(pallet, '?depth=3');
    expect(tree.depth).toBe(3);
    expect(tree.total).toBe(4);
    const itemIds = await Promise.all(items.map((i) => canonicalOf(service, i)));
    expect(tree.children.flatMap((c) => c.children.map((i) => i.epc))).toEqual([itemIds[0], itemIds[2]]);
    expect(tree.children.flatMap((c) => c.children.map((i) => i.childCount))).toEqual([0, 0]);
  });

  it('stops at a container met again when containers were packed into each other', async () => {
    const tree = await contents(loopA, '?depth=32');
    expect(tree.total).toBe(1);
    expect(tree.children).toEqual([{ epc: await canonicalOf(service, loopB), childCount: 1, children: [] }]);
  });

  it('answers 404 for an EPC no event names and 400 for a depth out of range', async () => {
    const unknown = await get(service.app, `/epcs/${path(sscc(99))}/contents`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ type: 'epcisException:NoSuchResourceException' });
    for (const depth of ['0', '33', 'two']) {
      const bad = await get(service.app, `/epcs/${path(pallet)}/contents?depth=${depth}`);
      expect(bad.statusCode, depth).toBe(400);
      expect(bad.json()).toMatchObject({
        type: 'epcisException:QueryParameterException',
        parameter: 'depth',
      });
    }
  });
});
