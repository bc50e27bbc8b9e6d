// What every hardening ("one client must not freeze or crash a site") test measures while its
// attack runs against a real service process: how long GET /health takes to answer, and how much
// memory the process holds. Loopback only; every loop here is bounded by count and time.
import { readFileSync } from 'node:fs';

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export interface HealthProbeReport {
  /** Answers received (status 200). */
  answered: number;
  /** Probes that failed or timed out (a frozen or crashed service). */
  failed: number;
  /** Slowest answer, in milliseconds (a failed probe counts as its timeout). */
  maxLatencyMs: number;
  latenciesMs: number[];
}

/** Resident set size of a process in bytes, read from /proc (Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

export interface AttackOutcome<T> {
  result: T;
  health: HealthProbeReport;
  /** Highest RSS sampled while the attack ran (bytes); 0 when no pid was given. */
  peakRssBytes: number;
}

export interface AttackProbeOptions {
  baseUrl: string;
  /** The service's pid, to sample its RSS; omit for in-process apps. */
  pid?: number;
  /** Pause between two health probes. */
  intervalMs?: number;
  /** A probe slower than this counts as failed. */
  probeTimeoutMs?: number;
}

/**
 * Runs `attack` while probing GET /health one request at a time and sampling the service's RSS.
 * Probing starts before the attack and stops when it settles.
 */
export async function underAttack<T>(
  options: AttackProbeOptions,
  attack: () => Promise<T>,
): Promise<AttackOutcome<T>> {
  const intervalMs = options.intervalMs ?? 20;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5000;
  const health: HealthProbeReport = { answered: 0, failed: 0, maxLatencyMs: 0, latenciesMs: [] };
  let peakRssBytes = 0;
  let running = true;

  const sampleRss = () => {
    if (options.pid === undefined) return;
    try {
      peakRssBytes = Math.max(peakRssBytes, residentBytes(options.pid));
    } catch {
      // The process has exited: the attack's own assertions report it.
    }
  };

  const probing = (async () => {
    while (running) {
      const started = performance.now();
      let ok = false;
      try {
        const response = await fetch(`${options.baseUrl}/health`, {
          signal: AbortSignal.timeout(probeTimeoutMs),
        });
        await response.arrayBuffer();
        ok = response.status === 200;
      } catch {
        ok = false;
      }
      const latency = ok ? performance.now() - started : probeTimeoutMs;
      health.latenciesMs.push(latency);
      health.maxLatencyMs = Math.max(health.maxLatencyMs, latency);
      if (ok) health.answered += 1;
      else health.failed += 1;
      sampleRss();
      await sleep(intervalMs);
    }
  })();

  try {
    const result = await attack();
    return { result, health, peakRssBytes };
  } finally {
    running = false;
    await probing;
    sampleRss();
  }
}
