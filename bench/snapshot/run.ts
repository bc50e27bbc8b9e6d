// Measures issue 10's snapshot figures (docs/wasmedge-server.md "Snapshot"), printed, not asserted:
// the sidecar's synchronous dump of a 1,000,000-EPC index and the snapshot's size; tracker-server's
// cold start (exec → first 200 on GET /health, median of RUNS) from that snapshot, from 100,000
// journaled events replayed, and from a snapshot covering those events; the server's memory (VmHWM)
// after each start. Settings (environment): EPCS, JOURNALED, RUNS, SERVER_WASM (default
// build/tracker-server.wasm), WASMEDGE (the runtime; default the LLVM-free build if present),
// SECTIONS (default "snapshot,journal").
//
//   npm run bench:snapshot      → bench/results/snapshot.{json,md}
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/child-process.js';
import { type BenchRow, report } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { writeStateSnapshot } from '../lib/state-snapshot-file.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const env = process.env;
const EPCS = Number(env['EPCS'] ?? 1_000_000);
const JOURNALED = Number(env['JOURNALED'] ?? 100_000);
const RUNS = Number(env['RUNS'] ?? 5);
const SERVER_WASM = env['SERVER_WASM'] ?? join(ROOT, 'build/tracker-server.wasm');
const DEBIAN = join(ROOT, '.tools/wasmedge/bin/wasmedge');
const LLVM_FREE = join(ROOT, '.tools/wasmedge-runtime/bin/wasmedge');
const RUNTIME = env['WASMEDGE'] ?? (existsSync(LLVM_FREE) ? LLVM_FREE : DEBIAN);
const SECTIONS = (env['SECTIONS'] ?? 'snapshot,journal').split(',');
const EPCS_PER_EVENT = 10;
const EVENTS_PER_DOCUMENT = 1000;

/** Events of `EPCS_PER_EVENT` fresh SGTINs each, commissioned at distinct instants, 1,000 a document. */
function* documents(events: number): Generator<Uint8Array> {
  for (let at = 0; at < events; at += EVENTS_PER_DOCUMENT) {
    const eventList = [];
    for (let e = at; e < Math.min(events, at + EVENTS_PER_DOCUMENT); e++) {
      eventList.push({
        type: 'ObjectEvent',
        eventTime: new Date(Date.UTC(2026, 0, 1) + e * 1000).toISOString(),
        eventTimeZoneOffset: '+00:00',
        action: 'ADD',
        epcList: Array.from(
          { length: EPCS_PER_EVENT },
          (_, k) => `urn:epc:id:sgtin:0614141.107346.${e * EPCS_PER_EVENT + k}`,
        ),
        bizStep: 'commissioning',
        disposition: 'active',
        bizLocation: { id: `urn:epc:id:sgln:0614141.00001.${e % 50}` },
      });
    }
    const document = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-01-01T00:00:00Z',
      epcisBody: { eventList },
    };
    yield new TextEncoder().encode(JSON.stringify(document));
  }
}

function aotModule(): string {
  const generic = RUNTIME === LLVM_FREE;
  const out = SERVER_WASM.replace(/\.wasm$/, generic ? '.generic.aot.wasm' : '.aot.wasm');
  const fresh = existsSync(out) && statSync(out).mtimeMs >= statSync(SERVER_WASM).mtimeMs;
  if (!fresh) execFileSync(DEBIAN, ['compile', ...(generic ? ['--generic-binary'] : []), SERVER_WASM, out]);
  return out;
}

/** The status of one GET /health on a fresh connection; 0 while nothing listens or answers. */
function health(port: number): Promise<number> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => done(0));
    // Accepted and closed without an answer (the listener is not serving yet): not up.
    socket.once('close', () => done(0));
    socket.once('connect', () => socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    socket.once('data', (chunk: Buffer) => {
      done(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0));
      socket.destroy();
    });
  });
}

/** True once GET /health answers 200; throws on any other answer (a start that cannot succeed). */
async function healthy(port: number): Promise<boolean> {
  const status = await health(port);
  if (status !== 0 && status !== 200) throw new Error(`GET /health answered ${status}`);
  return status === 200;
}

interface Start {
  ms: number;
  /** CPU the server used until then (user + system): the machine is shared, wall time waits for it. */
  cpuMs: number;
  peakRssMb: number;
  log: string;
}

async function coldStart(module: string, dataDir: string): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    RUNTIME,
    ['--dir', `${dataDir}:${dataDir}`, module, '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    for (let tries = 0; !(await healthy(port)); tries++) {
      if (child.exitCode !== null || tries > 60_000) throw new Error(`the server did not start: ${log}`);
      await new Promise((done) => setTimeout(done, 1));
    }
    const ms = performance.now() - started;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakRssMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms.
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    return { ms, cpuMs, peakRssMb, log };
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
}

const rows: BenchRow[] = [];

async function starts(label: string, module: string, dataDir: string, goal?: string): Promise<void> {
  const runs: Start[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await coldStart(module, dataDir));
  const loaded = /"msg":"snapshot loaded"[^\n]*/.exec(runs.at(-1)!.log)?.[0] ?? 'no snapshot';
  console.log(`${label}: starts ${runs.map((r) => r.ms.toFixed(1)).join(', ')} ms; ${loaded}`);
  rows.push(
    {
      metric: `cold start, ${label}: median of ${RUNS}`,
      value: median(runs.map((r) => r.ms)),
      unit: 'ms',
      goal,
    },
    { metric: `cold start, ${label}: CPU, median`, value: median(runs.map((r) => r.cpuMs)), unit: 'ms' },
    {
      metric: `cold start, ${label}: peak RSS, median`,
      value: median(runs.map((r) => r.peakRssMb)),
      unit: 'MB',
    },
  );
}

async function capture(port: number, body: Uint8Array): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  });
  if (response.status !== 202)
    throw new Error(`capture answered ${response.status}: ${await response.text()}`);
}

async function journal(module: string, dataDir: string, events: number): Promise<void> {
  const port = await freePort();
  const child = spawn(
    RUNTIME,
    ['--dir', `${dataDir}:${dataDir}`, module, '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    while (!(await healthy(port))) await new Promise((done) => setTimeout(done, 5));
    for (const document of documents(events)) await capture(port, document);
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
}

async function main(): Promise<void> {
  const module = aotModule();
  console.log(`runtime ${RUNTIME}, module ${module}, ${RUNS} starts each`);
  const big = mkdtempSync(join(tmpdir(), 'edgetrace-bench-snapshot-'));
  const journaled = mkdtempSync(join(tmpdir(), 'edgetrace-bench-journal-'));
  try {
    if (SECTIONS.includes('snapshot')) {
      const snapshot = await writeStateSnapshot(join(big, 'snapshot'), documents(EPCS / EPCS_PER_EVENT), {
        journalSeq: 0,
        inboundSeq: 0,
      });
      rows.push(
        {
          metric: `snapshot of ${snapshot.epcs} EPCs / ${snapshot.events} events: size`,
          value: snapshot.bytes / 2 ** 20,
          unit: 'MiB',
        },
        {
          metric: 'snapshot: copy out of the sidecar core (one synchronous step)',
          value: snapshot.copyMs,
          unit: 'ms',
        },
        { metric: 'snapshot: file write', value: snapshot.writeMs, unit: 'ms' },
      );
      await starts(`${snapshot.epcs} EPCs from a snapshot`, module, big, '≤ 300 ms median');
    }
    if (SECTIONS.includes('journal')) {
      await journal(module, journaled, JOURNALED);
      await starts(`${JOURNALED} journaled events, full replay`, module, journaled, '≤ 50 ms median');
      await writeStateSnapshot(join(journaled, 'snapshot'), documents(JOURNALED), {
        journalSeq: JOURNALED,
        inboundSeq: 0,
      });
      await starts(`${JOURNALED} journaled events, snapshot covering them`, module, journaled);
    }
  } finally {
    rmSync(big, { recursive: true, force: true });
    rmSync(journaled, { recursive: true, force: true });
  }
  report('snapshot', rows, { runtime: RUNTIME, module, runs: RUNS, epcs: EPCS, journaled: JOURNALED });
}

await main();
