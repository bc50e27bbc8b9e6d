// GET /epcs/{epc}/state over the seeded store (1,000,000 tracked EPCs by default): maximum
// throughput (closed loop) against bare node:http sending answers of the same size over the same
// URLs, measured in the same run, and P50/P99/P99.9 at a fixed open-loop rate. Lookups walk the
// seeded items in a fixed pseudo-random order, every other one by URL-encoded Digital Link.
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import type { BenchContext } from '../../service/bench-context.js';
import type { OpenLoopResult } from '../../service/load/open-loop.js';
import { closedLoopRuns, openLoopRuns, type StreamPlan } from '../../service/load/repeated-runs.js';
import { type Running, startBareHttp } from '../../service/processes.js';
import type { SectionResult } from '../../service/sections/section-result.js';
import { stateItem, statePath, trackedDigitalLink } from '../dataset.js';
import { get } from '../http-client.js';
import type { SeededStore } from '../setup/seed-store.js';
import type { TrackingSettings } from '../tracking-settings.js';

function plan(server: Running, epcs: number): StreamPlan {
  return { server, offsetKey: 'state-lookup', stream: (first) => ({ kind: 'state-lookup', epcs, first }) };
}

/** Answer size, from lookups at the far end of the order (outside the measured ranges), both forms. */
async function sampleAnswers(origin: string, epcs: number) {
  const sizes: number[] = [];
  for (let k = epcs - 6; k < epcs; k++) {
    const path = statePath(k, epcs);
    const answer = await get(origin, path);
    if (answer.status !== 200) {
      throw new Error(`GET ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    // The answer names the item by its canonical Digital Link: the one the odd lookups send.
    const state = JSON.parse(answer.body) as { epc?: unknown; lastEvent?: unknown };
    if (state.epc !== trackedDigitalLink(stateItem(k, epcs)) || state.lastEvent === null) {
      throw new Error(`GET ${path}: not an EPC state: ${answer.body.slice(0, 300)}`);
    }
    sizes.push(Buffer.byteLength(answer.body));
  }
  return { bytes: Math.round(median(sizes)), examples: [statePath(0, epcs), statePath(1, epcs)] };
}

const p = (runs: OpenLoopResult[], key: 'p50Ms' | 'p99Ms' | 'p999Ms') => median(runs.map((r) => r[key]));

export async function stateLookupSection(
  ctx: BenchContext,
  t: TrackingSettings,
  store: SeededStore,
): Promise<SectionResult> {
  const n = store.trackedEpcs.toLocaleString('en-US');
  console.error(`GET /epcs/{epc}/state over ${n} tracked EPCs`);
  const service = await ctx.service('tracking-state', store.dataDir, 'FULL');
  const notes: Record<string, unknown> = { serviceStartS: service.startMs / 1000 };
  let answer: Awaited<ReturnType<typeof sampleAnswers>>;
  let closed: Awaited<ReturnType<typeof closedLoopRuns>>;
  let open: OpenLoopResult[];
  try {
    answer = await sampleAnswers(service.origin, t.epcs);
    closed = await closedLoopRuns(ctx, plan(service, t.epcs), t.connections);
    open = await openLoopRuns(ctx, plan(service, t.epcs), t.stateRatePerS, t.stateS);
  } finally {
    await service.stop();
  }
  const bare = await startBareHttp(answer.bytes);
  let bareClosed: Awaited<ReturnType<typeof closedLoopRuns>>;
  let bareOpen: OpenLoopResult[];
  try {
    bareClosed = await closedLoopRuns(ctx, plan(bare, t.epcs), t.connections);
    bareOpen = await openLoopRuns(ctx, plan(bare, t.epcs), t.stateRatePerS, t.stateS);
  } finally {
    await bare.stop();
  }
  Object.assign(notes, {
    answer,
    service: { closed, open },
    bareNodeHttp: { closed: bareClosed, open: bareOpen },
  });
  const rps = median(closed.map((r) => r.rps));
  const ceiling = median(bareClosed.map((r) => r.rps));
  // CPU the server process spent per answer: on a shared 2-core machine a fairer comparison with
  // the ceiling than throughput, which also measures how much CPU other work left over.
  const cpuPerRequestUs = (runs: typeof closed) =>
    median(runs.map((r) => ((r.machine.serverCores ?? NaN) / r.rps) * 1e6));
  const serviceCpuUs = cpuPerRequestUs(closed);
  const bareCpuUs = cpuPerRequestUs(bareClosed);
  const rate = `${t.stateRatePerS.toLocaleString('en-US')}/s`;
  const vsBare = (value: number, base: number) => ({ ratio: value / base, baseline: 'bare node:http' });
  const rows: BenchRow[] = [
    {
      metric: `GET /epcs/{epc}/state, ${n} EPCs, ${t.connections} connections: max throughput`,
      value: rps,
      unit: 'req/s',
      ratio: rps / ceiling,
      baseline: `of bare node:http (${answer.bytes} B answers)`,
      goal: '≥ 0.50× bare node:http',
    },
    {
      metric: 'GET /epcs/{epc}/state: server CPU per answer at max throughput',
      value: serviceCpuUs,
      unit: 'µs',
      ratio: serviceCpuUs / bareCpuUs,
      baseline: 'bare node:http',
    },
    { metric: 'bare node:http: server CPU per answer at max throughput', value: bareCpuUs, unit: 'µs' },
    {
      metric: `bare node:http, GET with ${answer.bytes} B answers: max throughput`,
      value: ceiling,
      unit: 'req/s',
    },
    {
      metric: `GET /epcs/{epc}/state at ${rate}: P50`,
      value: p(open, 'p50Ms'),
      unit: 'ms',
      ...vsBare(p(open, 'p50Ms'), p(bareOpen, 'p50Ms')),
    },
    {
      metric: `GET /epcs/{epc}/state at ${rate}: P99`,
      value: p(open, 'p99Ms'),
      unit: 'ms',
      ...vsBare(p(open, 'p99Ms'), p(bareOpen, 'p99Ms')),
      goal: '≤ 2 ms',
    },
    {
      metric: `GET /epcs/{epc}/state at ${rate}: P99.9`,
      value: p(open, 'p999Ms'),
      unit: 'ms',
      ...vsBare(p(open, 'p999Ms'), p(bareOpen, 'p999Ms')),
    },
    { metric: `bare node:http, GET at ${rate}: P99`, value: p(bareOpen, 'p99Ms'), unit: 'ms' },
    {
      metric: `service start to ready with ${n} tracked EPCs (state rebuild)`,
      value: service.startMs / 1000,
      unit: 's',
    },
  ];
  return { rows, notes };
}
