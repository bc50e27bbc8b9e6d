// Issue 9 item 1: GET /trace through wide TransformationEvents was quadratic and synchronous (a
// 4,000-wide level took 2.5 s with /health stalled; ten traces of different depth over a
// 5,000-wide, 20-layer chain stalled /health for 8 minutes at 3.2 GB RSS). The real built service
// holds a chain of 4,000-wide layers, each one TransformationEvent turning the previous 4,000 items
// into the next 4,000 (16 million input × output pairs a layer), while ten clients ask for it at
// ten depths at once, the largest page each, and come straight back whenever they are refused.
// GET /health is probed one request at a time throughout.
import { afterEach, describe, expect, it } from 'vitest';
import { underAttack } from '../../helpers/attack-probes.js';
import { epcisDocument } from '../../helpers/epcis-builders.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  tempDataDir,
  type TempDir,
} from '../../helpers/service-process.js';
import { CHAIN_ROOT, transformationChain } from '../../helpers/transformation-chain.js';

const WIDTH = 4000;
const LAYERS = 8;
const DEPTHS = [1, 2, 3, 4, 5, 6, 7, 8, 16, 64];
// A 25th of the default TRACE_MAX_EDGES, so that a deep walk here ends within a second or two: a
// level costs about 2 × WIDTH edges, so walks end with edge-budget after the fifth level.
const TRACE_MAX_EDGES = 40_000;
/** Peak resident memory allowed during the attack (measured: 226-282 MiB, seeding included). */
const RSS_BOUND_BYTES = 450 * 1024 * 1024;
const ATTACK_DEADLINE_MS = 35_000;

interface TraceAnswer {
  total: number;
  truncated: boolean;
  truncation: { reason: string; limit: number } | null;
}

interface Asked {
  depth: number;
  /** Null when the deadline passed first. */
  answer: TraceAnswer | null;
  refused: number;
}

/**
 * The counts and marker of a page, without parsing its 10,000 nodes: the probes run in this
 * process, and parsing ten 3 MB bodies here would delay them and blame the service for it.
 */
function pageHead(body: ArrayBuffer): TraceAnswer {
  const start = new TextDecoder().decode(body.slice(0, 16 * 1024));
  return JSON.parse(`${start.slice(0, start.indexOf(',"nodes":['))}}`) as TraceAnswer;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Asks until answered (a client that ignores Retry-After), bounded by the deadline. */
async function traceUntilAnswered(baseUrl: string, depth: number, deadlineMs: number): Promise<Asked> {
  const url = `${baseUrl}/trace/${encodeURIComponent(CHAIN_ROOT)}?direction=forward&depth=${depth}&perPage=10000`;
  let refused = 0;
  while (Date.now() < deadlineMs) {
    const response = await fetch(url);
    if (response.status === 200) return { depth, answer: pageHead(await response.arrayBuffer()), refused };
    expect(response.status, await response.text()).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    refused++;
    await sleep(100);
  }
  return { depth, answer: null, refused };
}

const describeAnswer = ({ depth, answer }: Asked) =>
  `depth ${depth}: ${answer === null ? 'none' : `${answer.total} ${answer.truncation?.reason ?? 'whole'}`}`;

describe('GET /trace/{epc} forward through 4,000 × 4,000 transformations, ten depths at once', () => {
  const group = new ServiceGroup();
  let data: TempDir | null = null;
  afterEach(async () => {
    await group.killAll();
    data?.remove();
  });

  it('keeps GET /health answering within 100 ms and memory bounded, and ends deep walks at the edge budget', async () => {
    assertServiceBuilt();
    data = tempDataDir('edgetrace-trace-fan-out-');
    const service = await group.start({
      dataDir: data.dir,
      env: { TRACE_MAX_EDGES: String(TRACE_MAX_EDGES) },
    });
    for (const event of transformationChain(WIDTH, LAYERS)) {
      const response = await fetch(service.url('/capture'), {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: JSON.stringify(epcisDocument([event])),
      });
      expect(response.status, await response.text()).toBe(202);
    }

    const deadlineMs = Date.now() + ATTACK_DEADLINE_MS;
    const { health, peakRssBytes, result } = await underAttack(
      { baseUrl: service.baseUrl, pid: service.pid },
      () => Promise.all(DEPTHS.map((depth) => traceUntilAnswered(service.baseUrl, depth, deadlineMs))),
    );
    console.log(
      `trace fan-out: health max ${health.maxLatencyMs.toFixed(1)} ms over ${health.answered} probes, ` +
        `peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB, ` +
        `refused ${result.reduce((n, r) => n + r.refused, 0)}; ${result.map(describeAnswer).join(', ')}`,
    );

    expect(health.failed).toBe(0);
    expect(health.maxLatencyMs).toBeLessThan(100);
    expect(peakRssBytes).toBeLessThan(RSS_BOUND_BYTES);
    // Two walks at a time (TRACE_MAX_CONCURRENT): the others were refused and came back.
    expect(result.some((r) => r.refused > 0)).toBe(true);
    for (const { depth, answer } of result) {
      expect(answer, `depth ${depth} answered before the deadline`).not.toBeNull();
      // Every answer says why it ended: the depth asked for, or the edge budget (whole levels).
      expect(answer!.truncated, `depth ${depth}`).toBe(true);
      if (answer!.truncation!.reason === 'depth') {
        expect(answer, `depth ${depth}`).toMatchObject({
          total: depth * WIDTH,
          truncation: { limit: depth },
        });
      } else {
        expect(answer!.truncation, `depth ${depth}`).toEqual({
          reason: 'edge-budget',
          limit: TRACE_MAX_EDGES,
        });
        expect(answer!.total % WIDTH, `depth ${depth}: whole levels`).toBe(0);
        expect(answer!.total, `depth ${depth}`).toBeLessThanOrEqual(depth * WIDTH);
      }
    }
    expect(result.at(-1)!.answer!.truncation!.reason).toBe('edge-budget');
  }, 60_000);
});
