// The closed-loop load generator of the state lookups: Debian's wrk (C, epoll), one thread, because
// every server measured here answers on one thread and a second wrk thread would only take the
// server's core on a 2-core machine. A Node generator (autocannon) would be the bottleneck: it
// parses every answer in JavaScript. The proof is in the same run: wrk against the native C floor
// reaches far more than against any server measured. Its Lua script walks the seeded items in the
// order of dataset.ts statePath(), from `first`, so no lookup repeats within a run.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scatterStride, trackedEpc } from '../dataset.js';

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  non2xx: number;
  socketErrors: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** CPU wrk used over its run, in cores: near 1.0 would mean it, not the server, was the limit. */
  wrkCores: number;
}

function luaScript(first: number, epcs: number): string {
  const prefix = trackedEpc(0).slice(0, -1);
  return [
    `local k = ${first}`,
    'request = function()',
    `  local item = (k * ${scatterStride(epcs)}) % ${epcs}`,
    '  k = k + 1',
    `  return wrk.format("GET", string.format("/epcs/${prefix}%d/state", item), { ["Accept"] = "application/ld+json" })`,
    'end',
    '',
  ].join('\n');
}

function milliseconds(text: string | undefined): number | null {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  if (match === null) return null;
  const scale = { us: 1e-3, ms: 1, s: 1e3 }[match[2] as 'us' | 'ms' | 's'];
  return Number(match[1]) * scale;
}

export function parseWrk(output: string): Omit<WrkResult, 'wrkCores'> {
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(output);
  if (total === null) throw new Error(`wrk printed no total: ${output.slice(0, 500)}`);
  const seconds = Number(total[2]) * (total[3] === 'ms' ? 1e-3 : 1);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(total[1]),
    seconds,
    rps: Number(total[1]) / seconds,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: errors === null ? 0 : errors.slice(1).reduce((sum, n) => sum + Number(n), 0),
    latencyP50Ms: milliseconds(/\s50%\s+(\S+)/.exec(output)?.[1]),
    latencyP99Ms: milliseconds(/\s99%\s+(\S+)/.exec(output)?.[1]),
  };
}

/** Runs wrk once; resolves with its figures (the shell reports wrk's CPU from its own rusage). */
export function runWrk(
  origin: string,
  workDir: string,
  lookup: { first: number; epcs: number },
  connections: number,
  durationS: number,
): Promise<WrkResult> {
  const dir = join(workDir, 'wrk');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, `state-${lookup.first}.lua`);
  writeFileSync(script, luaScript(lookup.first, lookup.epcs));
  // bash's /proc/$$/stat holds the CPU of its waited-for children (cutime, cstime): wrk's alone.
  const shell = 'wrk "$@"; status=$?; echo "CHILD_CPU $(cut -d" " -f16,17 /proc/$$/stat)"; exit $status';
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${durationS}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    script,
    origin,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', shell, 'wrk', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk failed (${code}): ${output.slice(0, 500)}`));
      try {
        const parsed = parseWrk(output);
        const ticks = /CHILD_CPU (\d+) (\d+)/.exec(output);
        const cpuS = ticks === null ? NaN : (Number(ticks[1]) + Number(ticks[2])) / 100;
        resolve({ ...parsed, wrkCores: cpuS / parsed.seconds });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
