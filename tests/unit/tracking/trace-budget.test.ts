import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceResponseSchema } from '../../../host/http/routes/tracking-schemas.js';
import type { TracePage } from '../../../host/tracking/trace-view.js';
import { CHAIN_ROOT, transformationChain } from '../../helpers/transformation-chain.js';
import { buildServiceApp, capture, get, path, type ServiceApp } from './tracking-fixture.js';

const WIDTH = 1500;
const traceUrl = (depth: number) =>
  `/trace/${path(CHAIN_ROOT)}?direction=forward&depth=${depth}&perPage=10000`;

describe('GET /trace/{epc} over transformations that each turn 1,500 items into 1,500', () => {
  let service: ServiceApp;

  beforeAll(async () => {
    // One walk at a time, 5,000 edges a walk (a level here costs 1,500 to 3,000), 10 s a walk.
    service = await buildServiceApp({
      config: { traceMaxEdges: 5000, traceMaxTimeMs: 10_000, traceMaxConcurrent: 1 },
    });
    for (const event of transformationChain(WIDTH, 3)) await capture(service, event);
  });

  afterAll(async () => {
    await service.close();
  });

  it('stops at the edge budget and answers the levels it completed, marked edge-budget as its schema says', async () => {
    const response = await get(service.app, traceUrl(3));
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<TracePage>();
    expect(page.truncated).toBe(true);
    expect(page.truncation).toEqual({ reason: 'edge-budget', limit: 5000 });
    // Levels 1 and 2 cost about 4,500 edges together; level 3 would pass 5,000.
    expect(page.total).toBe(2 * WIDTH);
    expect(page.nodes.at(-1)!.depth).toBe(2);
    const valid = new Ajv({ allErrors: true }).compile(traceResponseSchema);
    expect(valid(page), JSON.stringify(valid.errors)).toBe(true);
  });

  it('answers 503 with Retry-After while every walk slot is taken', async () => {
    const [first, second] = await Promise.all([get(service.app, traceUrl(2)), get(service.app, traceUrl(4))]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 503]);
    const refused = first.statusCode === 503 ? first : second;
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('10');
    expect(refused.json()).toMatchObject({
      type: 'epcisException:ServiceUnavailableException',
      status: 503,
      detail: expect.stringContaining('TRACE_MAX_CONCURRENT'),
    });
    // The slot is free again once the walk has answered.
    expect((await get(service.app, traceUrl(5))).statusCode).toBe(200);
  });

  it('lets identical traces asked at once share one walk, while a different one is refused', async () => {
    const [same, again, other] = await Promise.all([
      get(service.app, traceUrl(6)),
      get(service.app, traceUrl(6)),
      get(service.app, traceUrl(7)),
    ]);
    // Whichever took the one slot first, the two identical requests had the same fate.
    expect(again.statusCode).toBe(same.statusCode);
    expect([same.statusCode, other.statusCode].sort()).toEqual([200, 503]);
    if (same.statusCode === 200) expect(again.json()).toEqual(same.json());
  });

  it('counts each walk its budget cut short by reason, and each request refused over TRACE_MAX_CONCURRENT, in the metrics', async () => {
    const before = await traceCounts(service);
    const [first, second] = await Promise.all([get(service.app, traceUrl(8)), get(service.app, traceUrl(9))]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 503]);
    // Served from the answer kept for its pages: no walk, nothing counted again.
    const answered = first.statusCode === 200 ? 8 : 9;
    expect((await get(service.app, traceUrl(answered))).statusCode).toBe(200);

    const after = await traceCounts(service);
    expect(after.truncated).toEqual({
      ...before.truncated,
      'edge-budget': (before.truncated['edge-budget'] ?? 0) + 1,
    });
    expect(after.refused).toBe(before.refused + 1);
  });
});

/** edgetrace_trace_truncated_total by reason and edgetrace_trace_refused_total, as /metrics has them. */
async function traceCounts(
  service: ServiceApp,
): Promise<{ truncated: Record<string, number>; refused: number }> {
  const truncated = service.metrics.registry.getSingleMetric('edgetrace_trace_truncated_total');
  const refused = service.metrics.registry.getSingleMetric('edgetrace_trace_refused_total');
  expect(truncated, 'edgetrace_trace_truncated_total is registered').toBeDefined();
  expect(refused, 'edgetrace_trace_refused_total is registered').toBeDefined();
  const byReason: Record<string, number> = {};
  for (const value of (await truncated!.get()).values) byReason[String(value.labels['reason'])] = value.value;
  return { truncated: byReason, refused: (await refused!.get()).values[0]?.value ?? 0 };
}
