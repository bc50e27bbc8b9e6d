// SSE fan-out: BENCH_TRACKING_SUBSCRIBERS clients (one process, load/sse-subscribers.ts) hold
// GET /events/stream open while an open-loop generator (another process, the service benchmark's
// open-loop.ts) captures BENCH_TRACKING_FEED_RATE events/s through POST /events. Delivery latency
// runs from the capture request's send to the frame's arrival; every subscriber must get every
// stored event exactly once. Each run starts a fresh service on an empty database (synchronous=FULL, the
// default), so runs see equal conditions.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { type BenchContext, commitSummary, scrapeMetrics } from '../../service/bench-context.js';
import type { OpenLoopInput, OpenLoopResult } from '../../service/load/open-loop.js';
import { runLoad } from '../../service/load/run-load.js';
import type { Running } from '../../service/processes.js';
import type { SectionResult } from '../../service/sections/section-result.js';
import type { SubscribersInput, SubscribersResult } from '../load/sse-subscribers.js';
import type { TrackingSettings } from '../tracking-settings.js';

const WARMUP_S = 2;
const SUBSCRIBERS_SCRIPT = fileURLToPath(new URL('../load/sse-subscribers.js', import.meta.url));

interface FeedRun {
  subscribers: SubscribersResult;
  capture: OpenLoopResult & { machine: unknown };
  commits: unknown;
}

/**
 * The service's metrics once its stored-event count stopped moving (≤ 30 s): a request the
 * generator gave up on may still be committed after it, and a fresh store holds only this run's
 * events, so that count is what every subscriber must receive.
 */
async function settledMetrics(origin: string): Promise<Map<string, number>> {
  let metrics = await scrapeMetrics(origin);
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const next = await scrapeMetrics(origin);
    const settled =
      next.get('edgetrace_captured_events_total') === metrics.get('edgetrace_captured_events_total');
    metrics = next;
    if (settled) break;
  }
  return metrics;
}

async function feedRun(ctx: BenchContext, t: TrackingSettings, service: Running): Promise<FeedRun> {
  const warmupCount = Math.round(WARMUP_S * t.feedRatePerS);
  const subscribersInput: SubscribersInput = {
    origin: service.origin,
    subscribers: t.subscribers,
    sent: warmupCount + Math.round(t.feedS * t.feedRatePerS),
    measuredFrom: warmupCount,
    drainMs: 10_000,
  };
  const child = fork(SUBSCRIBERS_SCRIPT, [JSON.stringify(subscribersInput)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: unknown[] = [];
  let wake: (() => void) | null = null;
  child.on('message', (message) => {
    messages.push(message);
    wake?.();
  });
  const nextMessage = async (timeoutMs: number): Promise<Record<string, unknown>> => {
    const deadline = performance.now() + timeoutMs;
    while (messages.length === 0) {
      if (child.exitCode !== null || performance.now() > deadline) {
        throw new Error(`the SSE subscribers sent nothing within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return messages.shift() as Record<string, unknown>;
  };
  try {
    const ready = await nextMessage(30_000);
    if (ready['ready'] !== true) throw new Error(`SSE subscribers: ${JSON.stringify(ready)}`);
    child.send('start');
    const input: OpenLoopInput = {
      origin: service.origin,
      stream: { kind: 'stamped-event', first: ctx.serialBlock() },
      ratePerS: t.feedRatePerS,
      durationS: t.feedS,
      warmupS: WARMUP_S,
      expectStatus: 201,
      timeoutMs: 10_000,
    };
    const capture = await runLoad<OpenLoopResult>('open-loop', input, (t.feedS + 60) * 1000, service.pid);
    const metrics = await settledMetrics(service.origin);
    child.send({ finish: metrics.get('edgetrace_captured_events_total') ?? 0 });
    const subscribers = (await nextMessage(
      subscribersInput.drainMs + 60_000,
    )) as unknown as SubscribersResult;
    return { subscribers, capture, commits: commitSummary(metrics) };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

export async function liveFeedSection(ctx: BenchContext, t: TrackingSettings): Promise<SectionResult> {
  console.error(`GET /events/stream: ${t.subscribers} subscribers, ${t.feedRatePerS} events/s captured`);
  const runs: FeedRun[] = [];
  for (let run = 0; run < ctx.settings.runs; run++) {
    const name = 'tracking-feed';
    // Every subscriber holds one of the LIVE_MAX_STREAMS (64 by default) slots: room for all of them.
    const service = await ctx.service(name, ctx.emptyDataDir(name), 'FULL', {
      LIVE_MAX_STREAMS: String(t.subscribers),
    });
    try {
      runs.push(await feedRun(ctx, t, service));
    } finally {
      await service.stop();
    }
  }
  const of = (key: 'p50Ms' | 'p99Ms' | 'p999Ms' | 'maxMs') => median(runs.map((r) => r.subscribers[key]));
  const label = `SSE, ${t.subscribers} subscribers, ${t.feedRatePerS.toLocaleString('en-US')} events/s`;
  const exactlyOnce = runs.every(
    (r) =>
      r.subscribers.complete === t.subscribers &&
      r.subscribers.duplicates === 0 &&
      r.subscribers.outOfOrder === 0,
  );
  const rows: BenchRow[] = [
    { metric: `${label}: delivery latency P50`, value: of('p50Ms'), unit: 'ms' },
    { metric: `${label}: delivery latency P99`, value: of('p99Ms'), unit: 'ms', goal: '≤ 50 ms' },
    { metric: `${label}: delivery latency P99.9`, value: of('p999Ms'), unit: 'ms' },
    { metric: `${label}: delivery latency max`, value: of('maxMs'), unit: 'ms' },
    {
      metric: `${label}: subscribers that got every stored event exactly once, in order (worst run)`,
      value: Math.min(...runs.map((r) => r.subscribers.complete)),
      unit: `of ${t.subscribers}`,
    },
    {
      metric: `${label}: POST /events P99 meanwhile (from due time)`,
      value: median(runs.map((r) => r.capture.p99Ms)),
      unit: 'ms',
    },
  ];
  const notes = {
    exactlyOnce,
    measured:
      'latency = frame arrival at the subscriber − capture request build/send (process.hrtime, one machine clock)',
    warmupS: WARMUP_S,
    runs,
  };
  return { rows, notes };
}
