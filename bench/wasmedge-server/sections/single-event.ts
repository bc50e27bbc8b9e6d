// Section 3: single-event POST /events at a fixed open-loop rate: P50/P99/P99.9 of tracker-server
// against the bare WASI hello server's P99 at the same rate, same generator, same run. The server
// runs as deployed, with the Node service as its sidecar (JOURNAL_TAIL, same data directory): a
// server build that does not answer POST /events itself forwards it there, and the row says which
// one was measured (a lone server answering 503 is forwarding).
import { freePort } from '../../lib/child-process.js';
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { LLVM_FREE_WASMEDGE } from '../artifacts.js';
import type { BenchContext, SectionResult } from '../bench-context.js';
import { singleEvent } from '../dataset.js';
import type { OpenLoopResult } from '../load/open-loop.js';
import type { Running } from '../processes.js';
import { startHello, startNodeService, startTrackerServer } from '../servers.js';

/** Whether this server build answers POST /events itself: asked with no sidecar listening. */
async function answersNatively(ctx: BenchContext): Promise<boolean> {
  const server = await startTrackerServer(
    ctx.artifacts.serverGenericAot,
    ctx.freshDir('events-probe'),
    ctx.logDir,
  );
  try {
    const response = await fetch(`${server.origin}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: singleEvent(ctx.serials(1)),
    });
    await response.arrayBuffer();
    return response.status === 201;
  } finally {
    await server.stop();
  }
}

async function openLoopRuns(ctx: BenchContext, server: Running): Promise<OpenLoopResult[]> {
  const { ratePerS, rateS, runs } = ctx.settings;
  const results: OpenLoopResult[] = [];
  for (let r = 0; r < runs; r++) {
    const warmupS = 2;
    const result = await ctx.openLoop({
      origin: server.origin,
      first: ctx.serials((rateS + warmupS) * ratePerS),
      ratePerS,
      durationS: rateS,
      warmupS,
      expectStatus: 201,
      timeoutMs: 10_000,
    });
    if (result.expected !== result.sent) {
      throw new Error(
        `${server.name}: POST /events answered ${JSON.stringify(result.other)}, ${result.errors} errors`,
      );
    }
    results.push(result);
  }
  return results;
}

export async function singleEventSection(ctx: BenchContext): Promise<SectionResult> {
  const { ratePerS, rateS } = ctx.settings;
  const native = await answersNatively(ctx);
  console.error(
    `POST /events at ${ratePerS}/s: tracker-server (${native ? 'native' : 'forwarded to the sidecar'})`,
  );
  const dataDir = ctx.freshDir('events-pair');
  const sidecarPort = await freePort();
  const server = await startTrackerServer(ctx.artifacts.serverGenericAot, dataDir, ctx.logDir, sidecarPort);
  let pair: OpenLoopResult[];
  try {
    const sidecar = await startNodeService(dataDir, ctx.logDir, ctx.settings.logLevel, { port: sidecarPort });
    try {
      pair = await openLoopRuns(ctx, server);
    } finally {
      await sidecar.stop();
    }
  } finally {
    await server.stop();
  }
  const hello = await startHello(
    'hello-wasi',
    LLVM_FREE_WASMEDGE,
    ctx.artifacts.helloGenericAot,
    20,
    ctx.logDir,
  );
  let bare: OpenLoopResult[];
  try {
    bare = await openLoopRuns(ctx, hello);
  } finally {
    await hello.stop();
  }
  const p = (runs: OpenLoopResult[], key: 'p50Ms' | 'p99Ms' | 'p999Ms') => median(runs.map((r) => r[key]));
  const bareP99 = p(bare, 'p99Ms');
  const how = native ? 'answered natively' : 'forwarded to the Node sidecar (not native yet)';
  const label = `POST /events at ${ratePerS.toLocaleString('en-US')}/s × ${rateS} s, tracker-server ${how}`;
  const vsBare = (value: number) => ({ ratio: value / bareP99, baseline: 'of bare WASI P99' });
  const rows: BenchRow[] = [
    { metric: `${label}: P50`, value: p(pair, 'p50Ms'), unit: 'ms', ...vsBare(p(pair, 'p50Ms')) },
    {
      metric: `${label}: P99`,
      value: p(pair, 'p99Ms'),
      unit: 'ms',
      ...vsBare(p(pair, 'p99Ms')),
      goal: '≤ 1.5× bare WASI P99',
    },
    { metric: `${label}: P99.9`, value: p(pair, 'p999Ms'), unit: 'ms', ...vsBare(p(pair, 'p999Ms')) },
    { metric: 'floor: bare WASI hello server, same rate: P50', value: p(bare, 'p50Ms'), unit: 'ms' },
    { metric: 'floor: bare WASI hello server, same rate: P99', value: bareP99, unit: 'ms' },
    { metric: 'floor: bare WASI hello server, same rate: P99.9', value: p(bare, 'p999Ms'), unit: 'ms' },
  ];
  return { rows, notes: { native, pair, bare } };
}
