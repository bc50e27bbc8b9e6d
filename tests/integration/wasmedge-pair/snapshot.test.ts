// State snapshots between the pair: the sidecar (JOURNAL_TAIL) writes DATA_DIR/snapshot/ every
// SNAPSHOT_EVERY_RECORDS stored records, and tracker-server.wasm restarts from the newest valid one
// plus the journal after it — answering as a full replay of the journal would, refusing the same
// duplicates, and falling back to an older snapshot or to the journal when the newest is damaged.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  aggregationEvent,
  epcisDocument,
  type EpcisEvent,
  objectEvent,
  sgln,
  sgtin,
  sscc,
} from '../../helpers/epcis-builders.js';
import { ServiceGroup } from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal } from '../wasmedge-server/support/journal-reader.js';
import { WasmEdgeServer, freePort, stopAll } from '../wasmedge-server/support/wasmedge-server.js';

let wasmedge: string;
let module: string;
const services = new ServiceGroup();
const cleanups: (() => void)[] = [];

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  await services.killAll();
  await stopAll();
});

/** A server whose stdout is kept (its start-up lines say which snapshot it loaded). */
class LoggedServer {
  stdout = '';
  private constructor(
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
    readonly baseUrl: string,
  ) {
    child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr.resume();
  }

  static async start(dataDir: string): Promise<LoggedServer> {
    const port = await freePort();
    const args = ['--dir', `${dataDir}:${dataDir}`, module, '--port', String(port), '--data-dir', dataDir];
    args.push('--sidecar-port', String(await freePort()));
    const server = new LoggedServer(
      spawn(wasmedge, args, { stdio: ['ignore', 'pipe', 'pipe'] }),
      `http://127.0.0.1:${port}`,
    );
    const exited = new Promise<void>((done) => server.child.on('exit', () => done()));
    cleanups.push(() => server.child.kill('SIGKILL'));
    for (let attempt = 0; attempt < 500; attempt++) {
      const status = await fetch(`${server.baseUrl}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return server;
      if (server.child.exitCode !== null) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    server.child.kill('SIGKILL');
    await exited;
    throw new Error(`tracker-server.wasm did not start on ${dataDir}: ${server.stdout}`);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((done) => this.child.on('exit', () => done()));
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    else return;
    await exited;
  }

  /** The start-up line with this msg, parsed. */
  line(msg: string): Record<string, unknown> | undefined {
    const lines = this.stdout.split('\n').filter((l) => l.startsWith('{'));
    return lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === msg);
  }
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const eventId = (n: number) => `urn:uuid:5a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const time = (n: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, n)).toISOString();
const ITEMS = 40;
const allEpcs = [
  ...Array.from({ length: ITEMS }, (_, n) => sgtin(n)),
  ...Array.from({ length: ITEMS / 10 }, (_, n) => sscc(n + 1)),
];

/** Events `from` … `to - 1`: items commissioned, moved and packed into pallets, in documents of 10. */
function documents(from: number, to: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let at = from; at < to; at += 10) {
    const events: EpcisEvent[] = [];
    for (let n = at; n < Math.min(at + 10, to); n++) {
      const item = sgtin(n % ITEMS);
      const event =
        n % 7 === 3
          ? aggregationEvent(time(n), 'ADD', sscc((n % (ITEMS / 10)) + 1), [item], {
              bizLocation: sgln(`0000${n % 3}`),
            })
          : objectEvent(time(n), n < ITEMS ? 'ADD' : 'OBSERVE', [item], {
              bizLocation: sgln(`0000${n % 3}`),
              disposition: n % 5 === 0 ? 'in_transit' : 'active',
            });
      event['eventID'] = eventId(n);
      events.push(event);
    }
    bodies.push(Buffer.from(JSON.stringify(epcisDocument(events))));
  }
  return bodies;
}

/** An error declaration of event `n` (its duplicate key is event ID + declaration time). */
function declaration(n: number): Buffer {
  const event = objectEvent(time(n), 'ADD', [sgtin(n % ITEMS)], { bizLocation: sgln(`0000${n % 3}`) });
  event['eventID'] = eventId(n);
  event['errorDeclaration'] = { declarationTime: '2026-01-02T00:00:00.000Z', reason: 'incorrect_data' };
  return Buffer.from(JSON.stringify(epcisDocument([event])));
}

async function capture(baseUrl: string, body: Buffer): Promise<{ status: number; errors: number }> {
  const response = await fetch(`${baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  });
  const job = (await response.json()) as { errors?: unknown[] };
  return { status: response.status, errors: job.errors?.length ?? 0 };
}

async function captureAll(baseUrl: string, bodies: readonly Buffer[]): Promise<void> {
  for (const body of bodies) expect((await capture(baseUrl, body)).status).toBe(202);
}

/** What the server answers about every EPC: state and contents, as status and body. */
async function answers(baseUrl: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const epc of allEpcs) {
    for (const view of ['state', 'contents?depth=2']) {
      const response = await fetch(`${baseUrl}/epcs/${encodeURIComponent(epc)}/${view}`);
      out.push([epc, view, response.status, await response.text()]);
    }
  }
  return out;
}

const lastSeq = (dataDir: string) => Number(readJournal(dataDir).records.at(-1)?.seq ?? 0n);
const snapshots = (dataDir: string) =>
  existsSync(join(dataDir, 'snapshot'))
    ? readdirSync(join(dataDir, 'snapshot'))
        .filter((name) => name.endsWith('.snap'))
        .sort()
    : [];

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** A copy of the data directory without snapshots: a restart from it is a full journal replay. */
function withoutSnapshots(dataDir: string): string {
  const copy = tempDir('edgetrace-snapshot-replay-');
  cpSync(join(dataDir, 'journal'), join(copy, 'journal'), { recursive: true });
  return copy;
}

/** The pair with two snapshots written and more captures after the newest. */
async function pairWithSnapshots(): Promise<{ dataDir: string; server: WasmEdgeServer }> {
  const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
  await services.start({
    dataDir: server.dataDir,
    env: { JOURNAL_TAIL: 'true', SNAPSHOT_EVERY_RECORDS: '50' },
  });
  await captureAll(server.baseUrl, documents(0, 60));
  expect((await capture(server.baseUrl, declaration(12))).status).toBe(202);
  await until('a first snapshot', () => snapshots(server.dataDir).length === 1);
  await captureAll(server.baseUrl, documents(60, 120));
  await until('a second snapshot', () => snapshots(server.dataDir).length === 2);
  await captureAll(server.baseUrl, documents(120, 135));
  const seq = lastSeq(server.dataDir);
  await until('the sidecar to store everything', () => {
    const file = join(server.dataDir, 'journal-stored-seq');
    return existsSync(file) && Number(readFileSync(file, 'utf8')) >= seq;
  });
  await services.killAll();
  server.kill();
  await server.exited;
  return { dataDir: server.dataDir, server };
}

describe('tracker-server.wasm restarted beside a sidecar that writes state snapshots', () => {
  it('starts from the newest snapshot and answers every EPC as a full journal replay does', async () => {
    const { dataDir } = await pairWithSnapshots();
    const [older, newest] = snapshots(dataDir);
    const fromSnapshot = await LoggedServer.start(dataDir);
    const loaded = fromSnapshot.line('snapshot loaded');
    expect(loaded).toMatchObject({ journalSeq: Number(newest!.slice(0, 20)), epcs: expect.any(Number) });
    expect(Number(loaded!['journalSeq'])).toBeGreaterThan(Number(older!.slice(0, 20)));
    // Only the records after the snapshot were replayed.
    expect(fromSnapshot.line('journal replayed')).toMatchObject({ lastSeq: lastSeq(dataDir) });
    const fullReplay = await LoggedServer.start(withoutSnapshots(dataDir));
    expect(fullReplay.line('snapshot loaded')).toBeUndefined();
    expect(await answers(fromSnapshot.baseUrl)).toEqual(await answers(fullReplay.baseUrl));
  });

  it('still refuses the duplicates the snapshot holds, declarations included, and journals nothing twice', async () => {
    const { dataDir } = await pairWithSnapshots();
    const server = await LoggedServer.start(dataDir);
    const seq = lastSeq(dataDir);
    const [early] = documents(0, 10);
    expect(await capture(server.baseUrl, early!)).toEqual({ status: 202, errors: 10 });
    expect(await capture(server.baseUrl, declaration(12))).toEqual({ status: 202, errors: 1 });
    // A declaration of another time and a new event are new.
    expect(await capture(server.baseUrl, documents(135, 136)[0]!)).toEqual({ status: 202, errors: 0 });
    expect(lastSeq(dataDir)).toBe(seq + 1);
  });

  it('falls back to the older snapshot when the newest is damaged, and to the journal when both are', async () => {
    const { dataDir } = await pairWithSnapshots();
    const [older, newest] = snapshots(dataDir);
    const expected = await answers((await LoggedServer.start(withoutSnapshots(dataDir))).baseUrl);
    const damage = (name: string) => {
      const path = join(dataDir, 'snapshot', name);
      const bytes = readFileSync(path);
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
      writeFileSync(path, bytes);
    };
    damage(newest!);
    const fromOlder = await LoggedServer.start(dataDir);
    expect(fromOlder.line('snapshot refused')?.['reason']).toMatch(/checksum/);
    expect(fromOlder.line('snapshot loaded')).toMatchObject({ journalSeq: Number(older!.slice(0, 20)) });
    expect(await answers(fromOlder.baseUrl)).toEqual(expected);
    await fromOlder.stop();
    damage(older!);
    const fromJournal = await LoggedServer.start(dataDir);
    expect(fromJournal.line('snapshot loaded')).toBeUndefined();
    expect(await answers(fromJournal.baseUrl)).toEqual(expected);
  });
});
