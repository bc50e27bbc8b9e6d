import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sgtin, transformationEvent } from '../../helpers/epcis-builders.js';
import { CHAIN_ROOT, transformationChain } from '../../helpers/transformation-chain.js';
import { GenealogyEdges } from '../../../host/tracking/genealogy-edges.js';
import { trace, type TraceResult } from '../../../host/tracking/trace.js';
import { TurnSlicer } from '../../../host/event-loop/turn-slicer.js';
import { TraceBudget, type TraceBudgetLimits } from '../../../host/tracking/trace-budget.js';
import { TrackingStore } from '../../../host/tracking/tracking-store.js';
import { buildServiceApp, capture, get, path, type ServiceApp } from './tracking-fixture.js';

const WIDTH = 1500;
const FAN_OUT = 6000;
const fanRoot = sgtin(1, '399998');

let service: ServiceApp;
let root: string;
let fanOrigin: string;

const originOf = async (id: string) =>
  (await get(service.app, `/trace/${path(id)}?direction=forward&depth=1`)).json<{ origin: string }>().origin;

/** Walks forward from `origin` straight against the store, with the budget given. */
async function walk(
  origin: string,
  depth: number,
  limits: Partial<TraceBudgetLimits> & { nodeLimit?: number } = {},
): Promise<{ result: TraceResult; budget: TraceBudget }> {
  const store = new TrackingStore(service.db);
  const budget = new TraceBudget({ maxEdges: 1e9, maxMs: 60_000, turns: new TurnSlicer(), ...limits });
  const result = await trace(
    new GenealogyEdges(store, store.headSeq()),
    { kind: 'identifier', id: origin },
    'forward',
    depth,
    { nodeLimit: limits.nodeLimit ?? 100_000, budget },
  );
  return { result, budget };
}

beforeAll(async () => {
  service = await buildServiceApp();
  for (const event of transformationChain(WIDTH, 3)) await capture(service, event);
  const many = Array.from({ length: FAN_OUT }, (_, i) => sgtin(i + 1, '399997'));
  await capture(service, transformationEvent('2026-04-02T06:00:00Z', [fanRoot], many));
  root = await originOf(CHAIN_ROOT);
  fanOrigin = await originOf(fanRoot);
});

afterAll(async () => {
  await service.close();
});

describe('the genealogy walk', () => {
  it('reads a transformation once per level, so its cost grows with inputs + outputs, not their product', async () => {
    const { result, budget } = await walk(root, 3);
    expect(result.nodes).toHaveLength(3 * WIDTH);
    expect(result.truncation).toBeNull();
    // Per level: one mention per frontier node, the event, one row per output (WIDTH² = 2,250,000).
    expect(budget.edgesRead).toBeLessThanOrEqual(6 * WIDTH);
    // Every output of a transformation is reached from its smallest input.
    const firstLevel = result.nodes.filter((n) => n.depth === 1).map((n) => n.epc);
    const secondLevel = result.nodes.filter((n) => n.depth === 2);
    expect(new Set(secondLevel.map((n) => n.from))).toEqual(new Set([firstLevel[0]]));
  });

  it('ends at the edge budget with only the levels it completed, marked edge-budget', async () => {
    // Level 1 reads WIDTH + 2 rows; level 2 another 2 × WIDTH + 1, which is over the budget.
    const { result } = await walk(root, 3, { maxEdges: 2 * WIDTH });
    expect(result.nodes).toHaveLength(WIDTH);
    expect(result.nodes.every((n) => n.depth === 1)).toBe(true);
    expect(result.truncation).toEqual({ reason: 'edge-budget', limit: 2 * WIDTH });
  });

  it('ends at the time budget with only whole levels, marked time-budget', async () => {
    // A clock that advances 1 ms every time the walk looks at it.
    let clock = 0;
    const { result } = await walk(root, 3, { maxMs: 12, now: () => ++clock });
    expect(result.truncation).toEqual({ reason: 'time-budget', limit: 12 });
    // Cut within level 2 or 3: the levels before it are whole, nothing of the cut one is kept.
    expect([WIDTH, 2 * WIDTH]).toContain(result.nodes.length);
  });

  it('lets other work run between its slices', async () => {
    let turns = 0;
    let walking = true;
    const spin = () => {
      if (!walking) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const { result } = await walk(root, 3, { turns: new TurnSlicer(0) });
    walking = false;
    expect(result.nodes).toHaveLength(3 * WIDTH);
    expect(turns).toBeGreaterThan(10);
  });

  it('keeps the first identifiers of a level far wider than the node limit, holding few of the rest', async () => {
    const full = await walk(fanOrigin, 1);
    expect(full.result.nodes).toHaveLength(FAN_OUT);
    const cut = await walk(fanOrigin, 1, { nodeLimit: 10 });
    expect(cut.result.nodes).toEqual(full.result.nodes.slice(0, 10));
    expect(cut.result.truncation).toEqual({ reason: 'node-limit', limit: 10 });
  });
});
