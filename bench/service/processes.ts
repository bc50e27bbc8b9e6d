// Starts and stops the processes a service benchmark talks to: the real service (dist/host/main.js)
// and the bare node:http ceiling, each on 127.0.0.1 in a process of its own, and stops only what it
// started (by its own pid). Every wait is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/child-process.js';

export interface Running {
  origin: string;
  pid: number;
  /** From spawn to the first 200 from /ready (service) or to listening (bare server). */
  startMs: number;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  logLevel: string;
  /** The service's stdout (its request log) goes here. */
  logFile: string;
  readyTimeoutMs: number;
  /** Write a V8 CPU profile of the service into this folder when it stops. */
  cpuProfileDir?: string;
  /** Further configuration of the service (e.g. LIVE_MAX_STREAMS for many subscribers). */
  env?: Readonly<Record<string, string>>;
}

const SERVICE_MAIN = fileURLToPath(new URL('../../host/main.js', import.meta.url));
const BARE_HTTP = fileURLToPath(new URL('./bare-http.js', import.meta.url));

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startService(options: ServiceOptions): Promise<Running> {
  const port = await freePort();
  const log = openSync(options.logFile, 'a');
  const profile =
    options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir];
  const started = performance.now();
  // A clean environment: the service refuses unknown keys with its prefixes, and reads nothing else.
  const child = spawn(process.execPath, [...profile, SERVICE_MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      SQLITE_SYNCHRONOUS: options.synchronous,
      LOG_LEVEL: options.logLevel,
      // A candidate core to bench without touching build/ (host/core/wasm-module.ts).
      ...(process.env['EDGETRACE_TRACKER_WASM'] === undefined
        ? {}
        : { EDGETRACE_TRACKER_WASM: process.env['EDGETRACE_TRACKER_WASM'] }),
      ...options.env,
    },
    stdio: ['ignore', log, 'pipe'],
  });
  closeSync(log);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  while (performance.now() - started < options.readyTimeoutMs) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${stderr}`);
    const ready = await fetch(`${origin}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { origin, pid: child.pid!, startMs: performance.now() - started, stop: stopper(child) };
    await sleep(50);
  }
  await stopper(child)();
  throw new Error(`the service was not ready within ${options.readyTimeoutMs} ms: ${stderr}`);
}

export async function startBareHttp(getBytes: number): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, [BARE_HTTP, JSON.stringify({ getBytes })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare node:http did not start')), 10_000);
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve((JSON.parse(chunk.toString()) as { port: number }).port);
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    startMs: performance.now() - started,
    stop: stopper(child),
  };
}
