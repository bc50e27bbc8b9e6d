// Runs tracker-server.wasm under a WasmEdge binary as a real child process on a free loopback port,
// with its own mapped data directory, and waits for its first 200 on GET /health. Every server
// started here is killed by stopAll() (call it in afterEach).
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';

export interface ServerOptions {
  runtime: string;
  module: string;
  /** Runtime flags before the module, e.g. --force-interpreter. */
  runtimeFlags?: string[];
  startTimeoutMs?: number;
  /** The process's file descriptor limit (ulimit -n), to run it out of descriptors. */
  maxOpenFiles?: number;
  /** An existing data directory (a restart over the same journal); a fresh temporary one otherwise. */
  dataDir?: string;
  /**
   * The sandbox as K3s's runtimes make it: this host directory mapped as guest `/`, and `--data-dir`
   * the guest path of `dataDir` (which must lie below it). Default: `dataDir` mapped as itself.
   */
  root?: string;
  /**
   * Where the server forwards the routes it does not serve (--sidecar-port). Default: a port nothing
   * listens on, so "sidecar down" does not depend on what else runs on this machine's 8081.
   */
  sidecarPort?: number;
}

/** A port the kernel reports free right now (released before the server binds it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/** Whether `pid` has anonymous executable memory: WasmEdge's AOT loader maps the module's native code so. */
export function hasAnonymousExecutableMapping(pid: number): boolean {
  return readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      return fields.length === 5 && fields[1]?.[2] === 'x';
    });
}

async function healthStatus(baseUrl: string): Promise<number> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) the process has used so far, in seconds (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the command name and state.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export class WasmEdgeServer {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  private constructor(
    readonly child: ChildProcessByStdio<null, Readable, Readable>,
    readonly port: number,
    readonly dataDir: string,
  ) {
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a server and resolves once GET /health answers 200. */
  static async start(options: ServerOptions): Promise<WasmEdgeServer> {
    const port = await freePort();
    const sidecarPort = options.sidecarPort ?? (await freePort());
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'edgetrace-wasmedge-server-'));
    const root = options.root;
    const args = [
      ...(options.runtimeFlags ?? []),
      '--dir',
      root === undefined ? `${dataDir}:${dataDir}` : `/:${root}`,
      options.module,
      '--port',
      String(port),
      '--data-dir',
      root === undefined ? dataDir : `/${relative(root, dataDir)}`,
      '--sidecar-port',
      String(sidecarPort),
    ];
    const child =
      options.maxOpenFiles === undefined
        ? spawn(options.runtime, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(
            'bash',
            ['-c', `ulimit -n ${options.maxOpenFiles} && exec "$0" "$@"`, options.runtime, ...args],
            {
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
    const server = new WasmEdgeServer(child, port, dataDir);
    running.add(server);
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    let exited = false;
    void server.exited.then(() => (exited = true));
    while (Date.now() < deadline && !exited) {
      if ((await healthStatus(server.baseUrl)) === 200) return server;
      await new Promise((done) => setTimeout(done, 20));
    }
    throw new Error(`tracker-server.wasm did not answer GET /health on ${server.baseUrl}: ${server.stderr}`);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

const running = new Set<WasmEdgeServer>();

export async function stopAll(): Promise<void> {
  for (const server of running) {
    server.kill();
    await server.exited;
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  running.clear();
}
