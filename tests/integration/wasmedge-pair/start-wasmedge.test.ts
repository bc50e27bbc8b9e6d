// `npm run start:wasmedge` (scripts/start-wasmedge.sh) run as a user runs it: the pair comes up on
// the ports and data directory given by PORT, SIDECAR_PORT and DATA_DIR, a capture on :PORT is
// answered by the server and seen by a query the sidecar answers, and SIGTERM (or either process
// dying) takes every process the script started down.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { assertServiceBuilt, tempDataDir } from '../../helpers/service-process.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';
import { SERVER_WASM, ensureLlvmFreeWasmEdge, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { freePort } from '../wasmedge-server/support/wasmedge-server.js';

// The first start AOT-compiles the server (20–60 s on a busy machine); later ones reuse it.
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 10_000;
// Each test starts the pair (a compile at most) and stops it.
const TEST_TIMEOUT_MS = READY_TIMEOUT_MS + 60_000;

beforeAll(() => {
  assertServiceBuilt();
  if (!existsSync(SERVER_WASM)) throw new Error(`${SERVER_WASM} is missing: run npm run build:server`);
  ensureWasmEdge();
  ensureLlvmFreeWasmEdge();
});

interface Pair {
  script: ChildProcess;
  port: number;
  baseUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Pair[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const pair of started.splice(0)) {
    // Whatever the test did, nothing it started outlives it: the script runs in its own group.
    try {
      process.kill(-pair.script.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function startPair(): Promise<Pair> {
  const data = tempDataDir('edgetrace-start-wasmedge-');
  cleanups.push(data.remove);
  const port = await freePort();
  const sidecarPort = await freePort();
  const script = spawn('bash', [join(REPO_ROOT, 'scripts/start-wasmedge.sh')], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      SIDECAR_PORT: String(sidecarPort),
      DATA_DIR: data.dir,
      // The tree is built once before the tests (assertServiceBuilt); the script's own build
      // step is `npm run build`, as in scripts/start.sh.
      EDGETRACE_SKIP_BUILD: 'true',
      EDGETRACE_SERVER_WASM: SERVER_WASM,
      LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  script.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  script.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    script.on('exit', (code, signal) => done({ code, signal })),
  );
  const pair = { script, port, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
  started.push(pair);
  await waitUntilReady(pair);
  return pair;
}

/** Until /ready on :PORT says ready with the sidecar reachable, or the script exits, or time runs out. */
async function waitUntilReady(pair: Pair): Promise<void> {
  let exited = false;
  void pair.exited.then(() => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${pair.baseUrl}/ready`, { signal: AbortSignal.timeout(1000) });
      const report = (await response.json()) as { ready?: boolean; sidecarReachable?: boolean };
      if (response.status === 200 && report.sidecarReachable === true) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`the pair did not become ready on ${pair.baseUrl}:\n${pair.output()}`);
}

/** Every live process below `root` (children, grandchildren, …), from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(name), Number(fields[1]));
    } catch {
      // Exited while we looked.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

const running = (pid: number): boolean => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function allGone(pids: number[], deadline: number): Promise<number[]> {
  while (Date.now() < deadline && pids.some(running)) await new Promise((done) => setTimeout(done, 50));
  return pids.filter(running);
}

describe('npm run start:wasmedge', () => {
  it(
    'serves captures natively and queries through the sidecar on PORT, and stops both on SIGTERM',
    async () => {
      const pair = await startPair();
      const children = descendants(pair.script.pid!);
      const commands = children.map((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '),
      );
      expect(commands.some((command) => command.includes('.tools/wasmedge-runtime/bin/wasmedge'))).toBe(true);
      expect(commands.some((command) => command.includes('dist/host/main.js'))).toBe(true);

      const eventId = 'urn:uuid:6c8e2a56-2f3b-4a8e-9a5c-0d1b2c3d4e5f';
      const event = {
        ...objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin('start-wasmedge-1')]),
        eventID: eventId,
      };
      const capture = await fetch(`${pair.baseUrl}/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: JSON.stringify(epcisDocument([event])),
      });
      await capture.arrayBuffer();
      expect(capture.status).toBe(202);
      // GET /events is the sidecar's: it answers once it has stored what the server acknowledged.
      const query = await fetch(`${pair.baseUrl}/events?perPage=100`);
      expect(query.status).toBe(200);
      const body = (await query.json()) as {
        epcisBody?: { queryResults?: { resultsBody?: { eventList?: unknown[] } } };
      };
      const events = body.epcisBody?.queryResults?.resultsBody?.eventList ?? [];
      expect(events.map((e) => (e as { eventID?: string }).eventID)).toEqual([eventId]);

      const stopAt = Date.now();
      process.kill(pair.script.pid!, 'SIGTERM');
      const deadline = stopAt + STOP_TIMEOUT_MS;
      const exit = await Promise.race([
        pair.exited,
        new Promise<null>((done) => setTimeout(() => done(null), STOP_TIMEOUT_MS)),
      ]);
      expect(exit, pair.output()).toEqual({ code: 0, signal: null });
      expect(await allGone(children, deadline)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops the server and exits when the sidecar dies',
    async () => {
      const pair = await startPair();
      const children = descendants(pair.script.pid!);
      const sidecar = children.find((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/host/main.js'),
      );
      expect(sidecar).toBeDefined();
      process.kill(sidecar!, 'SIGKILL');
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      const exit = await Promise.race([
        pair.exited,
        new Promise<null>((done) => setTimeout(() => done(null), STOP_TIMEOUT_MS)),
      ]);
      // The script exits with the status of the process that died first (bash: 128 + SIGKILL's 9).
      expect(exit, pair.output()).toEqual({ code: 137, signal: null });
      expect(await allGone(children, deadline)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
