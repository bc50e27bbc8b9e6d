// Every process bench:wasmedge starts (servers and generators) is registered here when spawned and
// ended by its own pid: stop() sends SIGTERM (each of them exits on it) and SIGKILL after 10 s;
// stopEverything() ends whatever is left, also on Ctrl-C and on an exception (run.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../lib/child-process.js';

export interface Running {
  name: string;
  origin: string;
  port: number;
  pid: number;
  /** From spawn to the first 200 of the readiness path. */
  startMs: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        children.delete(child);
        return resolve();
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        children.delete(child);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

export async function stopEverything(): Promise<void> {
  await Promise.all([...children].map((child) => stopper(child)()));
}

/** Last resort on exit: the event loop is gone, so only a synchronous SIGKILL is possible. */
export function killEverythingNow(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Runs `command` as a registered child that prints its result as JSON on its last stdout line
 * (a generator script, the C prober); killed after `timeoutMs`; a failed exit or no JSON rejects.
 */
export function runJson<T>(command: string, args: string[], timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0)
        return reject(new Error(`${command} failed (${code ?? signal}): ${stdout.slice(-500)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${command} printed no result: ${stdout.slice(-500)}`));
      }
    });
  });
}

/** A generator script (compiled .js next to this file's load/) with its JSON input in argv[2]. */
export function runGenerator<T>(path: string, input: object, timeoutMs: number): Promise<T> {
  return runJson<T>(process.execPath, [path, JSON.stringify(input)], timeoutMs);
}

/** CPU time (user + system, every thread) the process has used so far, in seconds (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime (fields 14 and 15 of proc(5)), in USER_HZ = 100 ticks per second.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

interface Launch {
  name: string;
  command: string;
  args: (port: number) => string[];
  env?: (port: number) => Record<string, string>;
  readyPath: string;
  logDir: string;
  readyTimeoutMs: number;
  port?: number;
}

export async function launch(options: Launch): Promise<Running> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.logDir, { recursive: true });
  const log = openSync(join(options.logDir, `${options.name}.log`), 'a');
  const started = performance.now();
  const child = spawn(options.command, options.args(port), {
    env: options.env?.(port) ?? { PATH: process.env['PATH'] ?? '' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  children.add(child);
  const origin = `http://127.0.0.1:${port}`;
  const running = { name: options.name, origin, port, pid: child.pid ?? -1, stop: stopper(child) };
  while (performance.now() - started < options.readyTimeoutMs) {
    if (child.exitCode !== null) break;
    if (await answers200(`${origin}${options.readyPath}`)) {
      return { ...running, startMs: performance.now() - started };
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  await running.stop();
  throw new Error(
    `${options.name} did not answer ${options.readyPath} (see ${options.logDir}/${options.name}.log)`,
  );
}
