// BENCH_RUNS clean runs of one request stream against one server, closed loop (maximum throughput)
// or open loop (latency at a fixed rate). Each run continues the stream where the last one stopped
// (BenchContext query offsets, keyed by `offsetKey`), so no URL repeats and no cache can answer.
import type { BenchContext } from '../bench-context.js';
import type { Running } from '../processes.js';
import { cleanRun } from './clean-run.js';
import type { ClosedLoopInput, ClosedLoopResult } from './closed-loop.js';
import type { OpenLoopInput, OpenLoopResult } from './open-loop.js';
import type { RequestStream } from './request-source.js';
import { type MachineDuringRun, runLoad } from './run-load.js';

/** A generator's result with the machine's CPU split and the disturbed attempts it took. */
export type CleanResult<T> = T & { machine: MachineDuringRun; disturbedAttempts: number };

export interface StreamPlan {
  server: Running;
  offsetKey: string;
  /** The stream starting at request `first`. */
  stream: (first: number) => RequestStream;
}

export async function closedLoopRuns(
  ctx: BenchContext,
  plan: StreamPlan,
  connections: number,
): Promise<CleanResult<ClosedLoopResult>[]> {
  const results = [];
  for (let run = 0; run < ctx.settings.runs; run++) {
    const attempt = async () => {
      const input: ClosedLoopInput = {
        origin: plan.server.origin,
        stream: plan.stream(ctx.queryOffset(plan.offsetKey)),
        connections,
        durationS: ctx.settings.throughputS,
        warmupS: 1,
        expectStatus: 200,
      };
      const timeoutMs = (input.durationS + 60) * 1000;
      const result = await runLoad<ClosedLoopResult>('closed-loop', input, timeoutMs, plan.server.pid);
      ctx.advanceQueryOffset(plan.offsetKey, result.issued);
      return result;
    };
    results.push(await cleanRun(attempt));
  }
  return results;
}

export async function openLoopRuns(
  ctx: BenchContext,
  plan: StreamPlan,
  ratePerS: number,
  durationS: number,
): Promise<CleanResult<OpenLoopResult>[]> {
  const results = [];
  for (let run = 0; run < ctx.settings.runs; run++) {
    const attempt = async () => {
      const input: OpenLoopInput = {
        origin: plan.server.origin,
        stream: plan.stream(ctx.queryOffset(plan.offsetKey)),
        ratePerS,
        durationS,
        warmupS: 1,
        expectStatus: 200,
        timeoutMs: 10_000,
      };
      const timeoutMs = (input.durationS + 60) * 1000;
      const result = await runLoad<OpenLoopResult>('open-loop', input, timeoutMs, plan.server.pid);
      ctx.advanceQueryOffset(plan.offsetKey, Math.round((input.durationS + input.warmupS) * input.ratePerS));
      return result;
    };
    results.push(await cleanRun(attempt));
  }
  return results;
}
