// Section 1, POST /events (one bare event, 201 after its group commit): maximum throughput against
// bare node:http, and latency percentiles under a fixed open-loop rate, for synchronous FULL and
// NORMAL. Every service run starts a fresh process on an empty database, so runs see the same
// conditions; each figure is the median of BENCH_RUNS runs. The disk's fdatasync latency, measured
// in the same folder, is the floor under every durable commit.
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { type BenchContext, commitSummary, scrapeMetrics } from '../bench-context.js';
import { measureDiskSync } from '../disk-sync.js';
import { cleanRun } from '../load/clean-run.js';
import type { ClosedLoopInput, ClosedLoopResult } from '../load/closed-loop.js';
import type { OpenLoopInput, OpenLoopResult } from '../load/open-loop.js';
import { runLoad } from '../load/run-load.js';
import { type Running, startBareHttp } from '../processes.js';
import type { SectionResult } from './section-result.js';

type Level = 'FULL' | 'NORMAL';

/** Runs `body` against the bare server, or against a fresh service process for this run alone. */
type OnServer = <T>(body: (server: Running) => Promise<T>) => Promise<T>;

interface Measured {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  runs: { closed: unknown[]; open: unknown[] };
}

async function measure(ctx: BenchContext, onServer: OnServer): Promise<Measured> {
  const s = ctx.settings;
  const closed: ClosedLoopResult[] = [];
  for (let run = 0; run < s.runs; run++) {
    const result = await cleanRun(() =>
      onServer((server) => {
        const input: ClosedLoopInput = {
          origin: server.origin,
          stream: { kind: 'single-event', first: ctx.serialBlock() },
          connections: s.connections,
          durationS: s.throughputS,
          warmupS: 1,
          expectStatus: 201,
        };
        return runLoad<ClosedLoopResult>('closed-loop', input, (s.throughputS + 60) * 1000, server.pid);
      }),
    );
    closed.push(result);
  }
  const open: OpenLoopResult[] = [];
  for (let run = 0; run < s.runs; run++) {
    const result = await cleanRun(() =>
      onServer((server) => {
        const input: OpenLoopInput = {
          origin: server.origin,
          stream: { kind: 'single-event', first: ctx.serialBlock() },
          ratePerS: s.ratePerS,
          durationS: s.rateS,
          warmupS: 2,
          expectStatus: 201,
          timeoutMs: 10_000,
        };
        return runLoad<OpenLoopResult>('open-loop', input, (s.rateS + 60) * 1000, server.pid);
      }),
    );
    open.push(result);
  }
  return {
    rps: median(closed.map((r) => r.rps)),
    p50Ms: median(open.map((r) => r.p50Ms)),
    p99Ms: median(open.map((r) => r.p99Ms)),
    p999Ms: median(open.map((r) => r.p999Ms)),
    runs: { closed, open },
  };
}

function freshService(ctx: BenchContext, level: Level, commits: unknown[]): OnServer {
  return async (body) => {
    const name = `events-${level}`;
    const service = await ctx.service(name, ctx.emptyDataDir(name), level);
    try {
      return await body(service);
    } finally {
      commits.push(commitSummary(await scrapeMetrics(service.origin)));
      await service.stop();
    }
  };
}

export async function singleEventSection(ctx: BenchContext): Promise<SectionResult> {
  const s = ctx.settings;
  const rate = s.ratePerS.toLocaleString('en-US');
  const disk = measureDiskSync(ctx.emptyDataDir('disk-probe'), 300, 64 * 1024);
  const notes: Record<string, unknown> = { diskSync: disk };
  const bare = await startBareHttp(0);
  const ceiling = await measure(ctx, (body) => body(bare)).finally(() => bare.stop());
  notes['bareNodeHttp'] = ceiling.runs;
  const rows: BenchRow[] = [
    { metric: 'bare node:http, POST /events, max throughput', value: ceiling.rps, unit: 'req/s' },
  ];
  const latencyRows: BenchRow[] = [
    { metric: `bare node:http, POST /events at ${rate}/s: P50`, value: ceiling.p50Ms, unit: 'ms' },
    { metric: `bare node:http, POST /events at ${rate}/s: P99`, value: ceiling.p99Ms, unit: 'ms' },
    { metric: `bare node:http, POST /events at ${rate}/s: P99.9`, value: ceiling.p999Ms, unit: 'ms' },
  ];
  for (const level of ['FULL', 'NORMAL'] as const) {
    console.error(`POST /events, synchronous=${level}`);
    const commits: unknown[] = [];
    const result = await measure(ctx, freshService(ctx, level, commits));
    notes[`service${level}`] = { ...result.runs, commits };
    const vsBare = (value: number, base: number) => ({ ratio: value / base, baseline: 'bare node:http' });
    rows.push({
      metric: `POST /events max throughput, ${level}`,
      value: result.rps,
      unit: 'req/s',
      ratio: result.rps / ceiling.rps,
      baseline: 'of bare node:http',
    });
    latencyRows.push(
      {
        metric: `POST /events at ${rate}/s, ${level}: P50`,
        value: result.p50Ms,
        unit: 'ms',
        ...vsBare(result.p50Ms, ceiling.p50Ms),
      },
      {
        metric: `POST /events at ${rate}/s, ${level}: P99`,
        value: result.p99Ms,
        unit: 'ms',
        ...vsBare(result.p99Ms, ceiling.p99Ms),
        goal: '≤ 5 ms',
      },
      {
        metric: `POST /events at ${rate}/s, ${level}: P99.9`,
        value: result.p999Ms,
        unit: 'ms',
        ...vsBare(result.p999Ms, ceiling.p999Ms),
        goal: '≤ 10 ms',
      },
    );
  }
  const diskRows: BenchRow[] = [
    { metric: 'disk: append 64 KiB + fdatasync, P50', value: disk.p50Ms, unit: 'ms' },
    { metric: 'disk: append 64 KiB + fdatasync, P99', value: disk.p99Ms, unit: 'ms' },
  ];
  return { rows: [...rows, ...latencyRows, ...diskRows], notes };
}
