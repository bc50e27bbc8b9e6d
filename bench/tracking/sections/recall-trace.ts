// GET /trace/{lot}?direction=forward on the recall scenario (a lot consumed by a transformation
// whose events output BENCH_TRACKING_TRACE_ITEMS items, packed into cases and onto pallets): the
// full walk, timed from the first request to the last byte of the last page, following Link
// rel="next" when the service pages. perPage asks for every node at once; the notes say how many
// pages it took. One request at a time from this process (the service runs in its own).
import type { BenchRow } from '../../lib/report.js';
import { median, percentile } from '../../lib/stats.js';
import type { BenchContext } from '../../service/bench-context.js';
import type { SectionResult } from '../../service/sections/section-result.js';
import { tracePath, traceNodes } from '../dataset.js';
import { get } from '../http-client.js';
import type { SeededStore } from '../setup/seed-store.js';
import type { TrackingSettings } from '../tracking-settings.js';

const WARMUP_WALKS = 3;

interface Walk {
  ms: number;
  pages: number;
  nodes: number;
  total: number;
  truncated: boolean;
  bytes: number;
}

interface TracePage {
  total: number;
  truncated: boolean;
  nodes: { relation: string }[];
}

async function walk(origin: string, perPage: number): Promise<Walk> {
  const started = performance.now();
  const result: Walk = { ms: 0, pages: 0, nodes: 0, total: 0, truncated: false, bytes: 0 };
  let path: string | null = tracePath(perPage);
  const bodies: string[] = [];
  while (path !== null) {
    const answer = await get(origin, path);
    if (answer.status !== 200)
      throw new Error(`GET ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    bodies.push(answer.body);
    result.pages++;
    path = answer.next;
  }
  result.ms = performance.now() - started;
  // Parsed after the clock stopped: the walk is what a client waits for, not its JSON parsing.
  for (const body of bodies) {
    const page = JSON.parse(body) as TracePage;
    result.nodes += page.nodes.length;
    result.total = page.total;
    result.truncated ||= page.truncated;
    result.bytes += Buffer.byteLength(body);
  }
  return result;
}

export async function recallTraceSection(
  ctx: BenchContext,
  t: TrackingSettings,
  store: SeededStore,
): Promise<SectionResult> {
  const { items, cases, pallets } = traceNodes(store.traceItems);
  const expected = items + cases + pallets;
  console.error(`GET /trace/{lot}?direction=forward: ${items} items, ${cases} cases, ${pallets} pallets`);
  const service = await ctx.service('tracking-trace', store.dataDir, 'FULL');
  const runs: Walk[][] = [];
  try {
    for (let i = 0; i < WARMUP_WALKS; i++) await walk(service.origin, expected);
    for (let run = 0; run < ctx.settings.runs; run++) {
      const walks: Walk[] = [];
      for (let i = 0; i < t.traces; i++) walks.push(await walk(service.origin, expected));
      runs.push(walks);
    }
  } finally {
    await service.stop();
  }
  const first = runs[0]![0]!;
  if (first.nodes < expected || first.truncated) {
    throw new Error(
      `the forward trace reached ${first.nodes} nodes (truncated: ${first.truncated}), not ${expected}`,
    );
  }
  const all = runs.flat().map((w) => w.ms);
  const walkMs = median(runs.map((walks) => median(walks.map((w) => w.ms))));
  const how =
    first.pages === 1 ? `one page (perPage=${expected})` : `${first.pages} pages (asked perPage=${expected})`;
  const rows: BenchRow[] = [
    {
      metric: `GET /trace/{lot} forward, ${first.nodes.toLocaleString('en-US')} nodes (${items} items), full walk in ${how}: median`,
      value: walkMs,
      unit: 'ms',
      goal: '≤ 100 ms',
    },
    {
      metric: 'GET /trace/{lot} forward, full walk: P90 over all walks',
      value: percentile(all, 90),
      unit: 'ms',
    },
    { metric: 'GET /trace/{lot} forward, full walk: max', value: percentile(all, 100), unit: 'ms' },
  ];
  const notes = {
    measured: 'full walk: first request sent → last byte of the last page (Link rel="next" followed)',
    expectedNodes: { items, cases, pallets },
    pages: first.pages,
    nodes: first.nodes,
    total: first.total,
    answerBytes: first.bytes,
    walksPerRun: t.traces,
    warmupWalks: WARMUP_WALKS,
    runsMs: runs.map((walks) => walks.map((w) => Math.round(w.ms * 100) / 100)),
  };
  return { rows, notes };
}
