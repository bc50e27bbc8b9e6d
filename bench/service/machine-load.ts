// Who else used the CPU while a run measured: the machine's busy time (/proc/stat) minus what the
// server under test and the load generator used. Other work on a 2-core box skews every figure, so
// each run waits (bounded) for a quiet machine and records the foreign load it saw. Linux only;
// elsewhere the figures are null.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

// USER_HZ: 100 on every Linux architecture Node supports.
const TICKS_PER_S = 100;

interface Sample {
  atMs: number;
  busyTicks: number;
  pidTicks: number;
}

function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  return fields.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
}

function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function sample(pid: number | null): Sample | null {
  try {
    return {
      atMs: performance.now(),
      busyTicks: machineBusyTicks(),
      pidTicks: pid === null ? 0 : processTicks(pid),
    };
  } catch {
    return null;
  }
}

export interface CpuShare {
  /** Cores the whole machine kept busy over the window. */
  busyCores: number;
  /** Cores the watched process (the server under test) used. */
  serverCores: number;
}

export function cpuShare(before: Sample | null, after: Sample | null): CpuShare | null {
  if (before === null || after === null) return null;
  const seconds = (after.atMs - before.atMs) / 1000;
  return {
    busyCores: (after.busyTicks - before.busyTicks) / TICKS_PER_S / seconds,
    serverCores: (after.pidTicks - before.pidTicks) / TICKS_PER_S / seconds,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the machine is quiet (less than `maxBusyCores` busy over half a second) for at most
 * `timeoutMs`; returns the seconds waited, or null when /proc is not there.
 */
export async function waitForQuiet(maxBusyCores: number, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  for (;;) {
    const before = sample(null);
    await sleep(500);
    const share = cpuShare(before, sample(null));
    if (share === null) return null;
    if (share.busyCores < maxBusyCores || performance.now() - started > timeoutMs) {
      return (performance.now() - started) / 1000;
    }
  }
}

export const CORES = cpus().length;
