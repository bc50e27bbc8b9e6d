// The cold-start probing: each configuration is a command line the C prober starts, probes and
// ends (prober/cold-start-probe.c); configurations take turns, one start each per round, so a
// burst of load from other work hits them all alike. A configuration whose median start is over
// 2 s stops after 5 starts: it is far from any goal by then, and 20 such starts would take hours.
import { join } from 'node:path';
import { freePort } from '../../lib/child-process.js';
import { median } from '../../lib/stats.js';
import { LLVM_FREE_WASMEDGE } from '../artifacts.js';
import type { BenchContext } from '../bench-context.js';
import { runJson } from '../processes.js';

const SLOW_START_MS = 2000;
const SLOW_STARTS = 5;

export interface StartConfig {
  label: string;
  goal?: string;
  command: (port: number) => string[];
}

export interface ProbeResult {
  samplesMs: number[];
  cpuMs: number[];
  failures: number;
  firstFailure: string | null;
}

export function trackerServer(ctx: BenchContext, dataDir: string): (port: number) => string[] {
  const module = ctx.artifacts.serverGenericAot;
  return (port) => [
    LLVM_FREE_WASMEDGE,
    '--dir',
    `${dataDir}:${dataDir}`,
    module,
    '--port',
    String(port),
    '--data-dir',
    dataDir,
  ];
}

/** One start of `argv` on `port`, timed by the prober (which starts it, probes it and ends it). */
function probeOnce(ctx: BenchContext, port: number, argv: string[]): Promise<ProbeResult> {
  const log = join(ctx.logDir, 'cold-start.log');
  return runJson<ProbeResult>(
    ctx.artifacts.prober,
    [String(port), '1', '120000', log, '--', ...argv],
    180_000,
  );
}

/** `runs` rounds over `configs`; every start's wall and CPU time, per configuration. */
export async function probeAll(
  ctx: BenchContext,
  configs: StartConfig[],
  runs: number,
): Promise<ProbeResult[]> {
  const ports = await Promise.all(configs.map(() => freePort()));
  const results: ProbeResult[] = configs.map(() => ({
    samplesMs: [],
    cpuMs: [],
    failures: 0,
    firstFailure: null,
  }));
  console.error(`cold start: ${runs} starts of each of ${configs.length} configurations, taking turns`);
  for (let run = 0; run < runs; run++) {
    for (const [c, config] of configs.entries()) {
      // Bounded: a configuration that needs seconds per start is far from its goal after 5 starts.
      const sofar = results[c]!.samplesMs;
      if (sofar.length >= SLOW_STARTS && median(sofar) > SLOW_START_MS) continue;
      const one = await probeOnce(ctx, ports[c]!, config.command(ports[c]!));
      const all = results[c]!;
      all.samplesMs.push(...one.samplesMs);
      all.cpuMs.push(...one.cpuMs);
      all.failures += one.failures;
      all.firstFailure ??= one.firstFailure;
    }
  }
  return results;
}
