// Runs one load generator script (compiled, next to this file) in a process of its own and returns
// what it printed, with the CPU the machine, the server and everything else used meanwhile. The
// generator and the server never share a process or an event loop. Before starting, it waits
// (bounded) for other work on the machine to stop.
import { fileURLToPath } from 'node:url';
import { runJsonScript } from '../../lib/child-process.js';
import { cpuShare, sample, waitForQuiet } from '../machine-load.js';

export type LoadScript = 'closed-loop' | 'open-loop' | 'capture-client';

export interface MachineDuringRun {
  /** Seconds spent waiting for a quiet machine first. */
  waitedS: number | null;
  serverCores: number | null;
  generatorCores: number;
  /** Busy cores not explained by the server or the generator: other work skewing the run. */
  otherCores: number | null;
}

/** What every generator prints besides its figures: its own CPU time over its whole life. */
export interface GeneratorCpu {
  cpuSeconds: number;
}

const QUIET_BELOW_CORES = 0.25;
const QUIET_WAIT_MS = 60_000;

export async function runLoad<T extends GeneratorCpu>(
  script: LoadScript,
  input: object,
  timeoutMs: number,
  serverPid: number | null,
): Promise<T & { machine: MachineDuringRun }> {
  const waitedS = await waitForQuiet(QUIET_BELOW_CORES, QUIET_WAIT_MS);
  const before = sample(serverPid);
  const path = fileURLToPath(new URL(`./${script}.js`, import.meta.url));
  const result = await runJsonScript<T>(path, script, input, timeoutMs);
  const after = sample(serverPid);
  const share = cpuShare(before, after);
  const seconds = before !== null && after !== null ? (after.atMs - before.atMs) / 1000 : NaN;
  const generatorCores = result.cpuSeconds / seconds;
  const machine: MachineDuringRun = {
    waitedS,
    serverCores: share?.serverCores ?? null,
    generatorCores,
    otherCores: share === null ? null : Math.max(0, share.busyCores - share.serverCores - generatorCores),
  };
  return { ...result, machine };
}
