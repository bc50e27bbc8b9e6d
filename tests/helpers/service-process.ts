// Runs the built service (dist/host/main.js) as a real child process, the way a site runs it: its
// own temporary DATA_DIR, a kernel-chosen free port on 127.0.0.1 (PORT=0, read back from the
// "Server listening" log line), stdout (pino JSON lines) and stderr collected, stopped with SIGTERM
// or killed with SIGKILL. A missing or stale build fails the test; it never skips.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type ServiceOptions, serviceEnv, sleep, waitUntilReady } from './service-spawn.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVICE_MAIN = join(REPO_ROOT, 'dist/host/main.js');
const TRACKER_WASM = join(REPO_ROOT, 'build/tracker.wasm');

const LISTENING = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/;
const POLL_MS = 20;

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Throws unless `npm run build` has produced the service from the current host/ sources. */
export function assertServiceBuilt(): void {
  for (const file of [SERVICE_MAIN, TRACKER_WASM]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  }
  const hostDir = join(REPO_ROOT, 'host');
  for (const source of sourcesUnder(hostDir)) {
    const built = join(REPO_ROOT, 'dist/host', relative(hostDir, source).replace(/\.ts$/, '.js'));
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
      throw new Error(`${built} is older than ${source}: run npm run build`);
    }
  }
}

export interface TempDir {
  dir: string;
  remove: () => void;
}

export function tempDataDir(prefix = 'edgetrace-service-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LogLine {
  level?: number;
  msg?: string;
  [field: string]: unknown;
}

export class ServiceProcess {
  private out = '';
  private err = '';
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private exit: Exit | null = null;
  /** Settles when the process has exited (with its code or the signal that ended it). */
  readonly exited: Promise<Exit>;
  private portNumber: number | null = null;

  /** Spawns the service and returns at once; see start() to wait until it is ready. */
  constructor(options: ServiceOptions) {
    assertServiceBuilt();
    this.child = spawn(process.execPath, [SERVICE_MAIN], {
      env: serviceEnv(options, 0),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
      if (this.portNumber === null) {
        const match = LISTENING.exec(this.out);
        if (match !== null) this.portNumber = Number(match[1]);
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.err += chunk.toString('utf8')));
    this.exited = new Promise((settle) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        settle(this.exit);
      });
    });
  }

  /** Spawns the service and waits until GET /ready answers 200. */
  static async start(options: ServiceOptions, timeoutMs = 20_000): Promise<ServiceProcess> {
    const service = new ServiceProcess(options);
    try {
      await service.waitForReady(timeoutMs);
    } catch (error) {
      await service.kill();
      throw error;
    }
    return service;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get hasExited(): Exit | null {
    return this.exit;
  }

  /** The JSON log lines written so far (anything else on stdout is left out). */
  logLines(): LogLine[] {
    return this.out.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  }

  get port(): number {
    if (this.portNumber === null) throw new Error('the service has not logged its port yet');
    return this.portNumber;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private describe(): string {
    return `stdout:\n${this.out.slice(-4000)}\nstderr:\n${this.err.slice(-4000)}`;
  }

  /** Waits until the service logs the port it listens on. */
  async waitForPort(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.portNumber === null) {
      if (this.exit !== null)
        throw new Error(`the service exited (${JSON.stringify(this.exit)})\n${this.describe()}`);
      if (Date.now() > deadline)
        throw new Error(`the service did not listen within ${timeoutMs} ms\n${this.describe()}`);
      await sleep(POLL_MS / 4);
    }
    return this.portNumber;
  }

  async waitForReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.waitForPort(timeoutMs);
    const target = { baseUrl: this.baseUrl, exit: () => this.exit, describe: () => this.describe() };
    await waitUntilReady(target, Math.max(0, deadline - Date.now()), POLL_MS);
  }

  /** Waits until a log line satisfies `matches`. */
  async waitForLog(matches: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logLines().find(matches);
      if (found !== undefined) return found;
      if (this.exit !== null || Date.now() > deadline) {
        throw new Error(`no matching log line (exit ${JSON.stringify(this.exit)})\n${this.describe()}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Sends a signal without waiting. */
  signal(signal: NodeJS.Signals): void {
    if (this.exit === null) this.child.kill(signal);
  }

  /** SIGKILL, then waits for the exit. */
  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /**
   * SIGTERM and waits for the exit; SIGKILL if it takes longer than `timeoutMs`, and then throws,
   * since a service that ignores SIGTERM is a failure.
   */
  async stop(timeoutMs = 15_000): Promise<Exit> {
    this.signal('SIGTERM');
    const late = Symbol('late');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.exited,
      new Promise<typeof late>((done) => (timer = setTimeout(() => done(late), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome === late) {
      await this.kill();
      throw new Error(`the service did not exit within ${timeoutMs} ms of SIGTERM\n${this.describe()}`);
    }
    return outcome;
  }
}

/** Keeps track of started services so afterEach can kill whatever a failed test left running. */
export class ServiceGroup {
  private readonly services: ServiceProcess[] = [];

  spawn(options: ServiceOptions): ServiceProcess {
    const service = new ServiceProcess(options);
    this.services.push(service);
    return service;
  }

  async start(options: ServiceOptions, timeoutMs?: number): Promise<ServiceProcess> {
    const service = this.spawn(options);
    await service.waitForReady(timeoutMs);
    return service;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.services.splice(0).map((service) => service.kill()));
  }
}
