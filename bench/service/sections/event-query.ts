// Section 3, GET /events over a store of BENCH_EVENTS events with selective filters: one item's
// history (MATCH_anyEPC, 4 events) and one location's day (EQ_bizLocation + GE/LT_eventTime,
// ~14 events). Every request is a distinct URL, so the result cache (on, as by default) can never
// answer; the service's cache-hit counter is recorded to show it. Latency comes from an open-loop
// rate well below capacity, throughput from closed-loop runs; bare node:http answering bodies of
// the same size is the ceiling.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_SNAPSHOT_DIR } from '../../../host/journal/snapshot-files.js';
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { type BenchContext, scrapeMetrics } from '../bench-context.js';
import { closedLoopRuns, openLoopRuns, type StreamPlan } from '../load/repeated-runs.js';
import { distinctQueries, type QueryKind, queryPath } from '../payloads.js';
import { type Running, startBareHttp } from '../processes.js';
import { queryStore } from '../setup/build-query-store.js';
import type { SectionResult } from './section-result.js';

/** Restarts from the state snapshot, for the start → /ready figure (median). */
const RESTARTS = 3;

const KINDS: { kind: QueryKind; label: string }[] = [
  { kind: 'epc', label: 'MATCH_anyEPC (one item)' },
  { kind: 'location-day', label: 'EQ_bizLocation + 1-day eventTime' },
];

function plan(server: Running, kind: QueryKind, events: number): StreamPlan {
  return { server, offsetKey: kind, stream: (first) => ({ kind: 'query', query: kind, events, first }) };
}

const throughput = (ctx: BenchContext, server: Running, kind: QueryKind, events: number) =>
  closedLoopRuns(ctx, plan(server, kind, events), ctx.settings.queryConnections);

const latency = (ctx: BenchContext, server: Running, kind: QueryKind, events: number) =>
  openLoopRuns(ctx, plan(server, kind, events), ctx.settings.queryRatePerS, ctx.settings.queryS);

/** Response size and events per answer, from a few queries outside the measured ranges. */
async function sampleAnswers(origin: string, kind: QueryKind, events: number) {
  const sizes: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const path = queryPath(kind, distinctQueries(kind, events) - 1 - i, events);
    const text = await (await fetch(`${origin}${path}`)).text();
    const body = JSON.parse(text) as {
      epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } };
    };
    sizes.push(Buffer.byteLength(text));
    counts.push(body.epcisBody.queryResults.resultsBody.eventList.length);
  }
  return { bytes: Math.round(median(sizes)), events: median(counts), example: queryPath(kind, 0, events) };
}

export async function eventQuerySection(ctx: BenchContext): Promise<SectionResult> {
  const s = ctx.settings;
  const store = await queryStore(s.workDir, s.events, s.freshStore);
  const n = s.events.toLocaleString('en-US');
  const notes: Record<string, unknown> = {
    store: {
      ...store,
      built: store.buildSeconds === null ? 'reused from an earlier run' : 'built in this run',
    },
  };
  const rows: BenchRow[] = [];
  if (store.buildSeconds !== null) {
    rows.push({
      metric: `query store set-up: ${n} events prepared by the core + EventWriter (in-process)`,
      value: s.events / store.buildSeconds,
      unit: 'events/s',
    });
  }
  console.error(`GET /events over ${n} events`);
  // The first start replays the whole store (its snapshots removed); while it serves the queries it
  // writes a state snapshot, which the restarts below load instead.
  rmSync(join(store.dataDir, STORE_SNAPSHOT_DIR), { recursive: true, force: true });
  const service = await ctx.service('query', store.dataDir, 'FULL');
  rows.push({
    metric: `service first start to ready with ${n} stored events, no snapshot (full replay)`,
    value: service.startMs / 1000,
    unit: 's',
  });
  const measured: Record<
    string,
    { answer: Awaited<ReturnType<typeof sampleAnswers>>; rps: number; p50Ms: number; p99Ms: number }
  > = {};
  try {
    for (const { kind } of KINDS) {
      const answer = await sampleAnswers(service.origin, kind, s.events);
      const closed = await throughput(ctx, service, kind, s.events);
      const open = await latency(ctx, service, kind, s.events);
      notes[`service-${kind}`] = { answer, closed, open };
      measured[kind] = {
        answer,
        rps: median(closed.map((r) => r.rps)),
        p50Ms: median(open.map((r) => r.p50Ms)),
        p99Ms: median(open.map((r) => r.p99Ms)),
      };
    }
    const metrics = await scrapeMetrics(service.origin);
    notes['cacheHits'] = metrics.get('edgetrace_query_cache_hits_total') ?? 0;
  } finally {
    await service.stop();
  }
  const restartsMs: number[] = [];
  for (let run = 0; run < RESTARTS; run++) {
    const restarted = await ctx.service('query-restart', store.dataDir, 'FULL');
    restartsMs.push(restarted.startMs);
    await restarted.stop();
  }
  notes['restartsMs'] = restartsMs;
  rows.push({
    metric: `service start to ready with ${n} stored events (restart from its state snapshot), median of ${RESTARTS}`,
    value: median(restartsMs) / 1000,
    unit: 's',
    goal: '≤ 1 s',
  });
  for (const { kind, label } of KINDS) {
    const m = measured[kind]!;
    const bare = await startBareHttp(m.answer.bytes);
    const ceiling = await throughput(ctx, bare, kind, s.events).finally(() => bare.stop());
    notes[`bareNodeHttp-${kind}`] = ceiling;
    const ceilingRps = median(ceiling.map((r) => r.rps));
    const rate = `${s.queryRatePerS}/s`;
    rows.push(
      {
        metric: `GET /events ${label}, ${m.answer.events} events/answer: P50 at ${rate}`,
        value: m.p50Ms,
        unit: 'ms',
      },
      { metric: `GET /events ${label}: P99 at ${rate}`, value: m.p99Ms, unit: 'ms', goal: '≤ 20 ms' },
      {
        metric: `GET /events ${label}: max throughput`,
        value: m.rps,
        unit: 'req/s',
        ratio: m.rps / ceilingRps,
        baseline: `of bare node:http (${m.answer.bytes} B answers)`,
      },
      {
        metric: `bare node:http, GET with ${m.answer.bytes} B answers: max throughput`,
        value: ceilingRps,
        unit: 'req/s',
      },
    );
  }
  return { rows, notes };
}
