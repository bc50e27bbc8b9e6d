// tracker-server.wasm's journal as segments (DATA_DIR/journal/<first seq>.log): rotation under a
// stream of captures at a tiny segment size, a restart replaying every segment, a torn tail cut only
// in the newest segment, a damaged older segment stopping the start, the legacy journal.log moved.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import {
  JOURNAL_DIR,
  LEGACY_JOURNAL_FILE,
  journalFiles,
  readJournal,
  segmentName,
  storeKey,
} from './support/journal-reader.js';
import { WasmEdgeServer, freePort, stopAll } from './support/wasmedge-server.js';

// A few records per segment: one event's record is about 1.5 KiB.
const SEGMENT_BYTES = 4096;
let wasmedge: string;
let module: string;
const dirs: string[] = [];

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await stopAll();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const start = (dataDir?: string) =>
  WasmEdgeServer.start({
    runtime: wasmedge,
    module,
    dataDir,
    runtimeFlags: ['--env', `JOURNAL_SEGMENT_BYTES=${SEGMENT_BYTES}`],
  });

async function restart(server: WasmEdgeServer): Promise<WasmEdgeServer> {
  server.kill('SIGKILL');
  await server.exited;
  return start(server.dataDir);
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-segments-'));
  dirs.push(dir);
  return dir;
}

/** `count` one-event documents naming sgtin(n), eventIDs from `n`. */
function documents(from: number, count: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let n = from; n < from + count; n++) {
    const event = objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)], {
      bizLocation: 'urn:epc:id:sgln:0614141.00001.0',
    });
    event['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    bodies.push(Buffer.from(JSON.stringify(epcisDocument([event]))));
  }
  return bodies;
}

async function capture(server: WasmEdgeServer, body: Buffer): Promise<{ status: number; job: string }> {
  const response = await fetch(`${server.baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  });
  return { status: response.status, job: await response.text() };
}

async function states(server: WasmEdgeServer, count: number): Promise<{ status: number; body: string }[]> {
  const answers = [];
  for (let n = 1; n <= count; n++) {
    const response = await fetch(`${server.baseUrl}/epcs/${encodeURIComponent(sgtin(n))}/state`);
    answers.push({ status: response.status, body: await response.text() });
  }
  return answers;
}

/** Runs the server over `dataDir` until it exits by itself (a refused start); its code and stderr. */
async function refusedStart(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const args = ['--dir', `${dataDir}:${dataDir}`, '--env', `JOURNAL_SEGMENT_BYTES=${SEGMENT_BYTES}`, module];
  const child = spawn(wasmedge, [...args, '--port', String(await freePort()), '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((done) => child.on('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, stderr };
}

describe('the journal segments of tracker-server.wasm', () => {
  it('rotates into segments named by their first seq while four clients capture, each event once', async () => {
    const server = await start();
    const bodies = documents(1, 80);
    await Promise.all(
      [0, 1, 2, 3].map(async (client) => {
        for (let i = client; i < bodies.length; i += 4)
          expect((await capture(server, bodies[i]!)).status).toBe(202);
      }),
    );
    const journal = readJournal(server.dataDir);
    expect(journal.records.map((r) => Number(r.seq))).toEqual(bodies.map((_, i) => i + 1));
    expect(new Set(journal.records.map(storeKey)).size).toBe(bodies.length);
    expect(journal.segments.length).toBeGreaterThan(5);
    for (const [i, file] of journal.segments.entries()) {
      const inFile = journal.records.filter((r) => r.file === file);
      // Named by its first record's seq (the active one, possibly empty, by the next seq).
      const expectedFirst = inFile[0]?.seq ?? journal.records.at(-1)!.seq + 1n;
      expect(file).toBe(`${JOURNAL_DIR}/${segmentName(expectedFirst)}`);
      // Closed only once it reached the segment size, at a record boundary.
      if (i < journal.segments.length - 1) {
        expect(statSync(join(server.dataDir, file)).size).toBeGreaterThanOrEqual(SEGMENT_BYTES);
      }
    }
    expect(journal.intactBytes).toBe(journal.fileBytes);
  }, 60_000);

  it('replays every segment at restart into the same state answers and still refuses the duplicates', async () => {
    let server = await start();
    const bodies = documents(1, 30);
    for (const body of bodies) expect((await capture(server, body)).status).toBe(202);
    expect(readJournal(server.dataDir).segments.length).toBeGreaterThan(3);
    const before = await states(server, bodies.length);
    expect(before.every((answer) => answer.status === 200)).toBe(true);

    server = await restart(server);
    expect(await states(server, bodies.length)).toEqual(before);
    const again = await capture(server, bodies[0]!);
    expect(again.job).toContain('ResourceAlreadyExistsException');
    // New captures continue the seqs in the active segment, and a second restart reads them too.
    expect((await capture(server, documents(31, 1)[0]!)).status).toBe(202);
    server = await restart(server);
    expect((await states(server, 31)).at(-1)!.status).toBe(200);
    expect(readJournal(server.dataDir).records.map((r) => Number(r.seq))).toEqual(
      Array.from({ length: 31 }, (_, i) => i + 1),
    );
  }, 60_000);

  it('cuts a torn tail in the newest segment at start and takes the torn event again', async () => {
    let server = await start();
    const bodies = documents(1, 12);
    for (const body of bodies) expect((await capture(server, body)).status).toBe(202);
    server.kill('SIGKILL');
    await server.exited;
    const journal = readJournal(server.dataDir);
    const last = journal.records.at(-1)!;
    // Make the last record's segment the newest and tear it in its middle.
    const newest = journalFiles(server.dataDir).at(-1)!;
    if (newest !== last.file) rmSync(join(server.dataDir, newest));
    truncateSync(join(server.dataDir, last.file), last.offset + 20);

    server = await start(server.dataDir);
    const answers = await states(server, 12);
    expect(answers.slice(0, 11).every((answer) => answer.status === 200)).toBe(true);
    expect(answers[11]!.status).toBe(404);
    expect(statSync(join(server.dataDir, last.file)).size).toBe(last.offset);
    expect((await capture(server, bodies[11]!)).job).toContain('"success":true');
    const after = readJournal(server.dataDir);
    expect(after.records.map((r) => Number(r.seq))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(after.records.at(-1)!.payload.eventId).toBe(last.payload.eventId);
  }, 60_000);

  it('refuses to start, naming the file, when a record fails its checksum in an older segment', async () => {
    const server = await start();
    for (const body of documents(1, 12)) expect((await capture(server, body)).status).toBe(202);
    server.kill('SIGKILL');
    await server.exited;
    const [oldest] = journalFiles(server.dataDir);
    const path = join(server.dataDir, oldest!);
    const bytes = readFileSync(path);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01;
    writeFileSync(path, bytes);

    const refused = await refusedStart(server.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(oldest);
    expect(refused.stderr).toContain('not the newest segment');
    // Nothing was cut: the damaged segment is left for whoever repairs it.
    expect(readFileSync(path)).toEqual(bytes);
  }, 60_000);

  it('refuses to start when the oldest segments are gone and no snapshot holds their records', async () => {
    const server = await start();
    for (const body of documents(1, 12)) expect((await capture(server, body)).status).toBe(202);
    server.kill('SIGKILL');
    await server.exited;
    const [oldest, second] = journalFiles(server.dataDir);
    rmSync(join(server.dataDir, oldest!));

    const refused = await refusedStart(server.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`the oldest segment, ${second}, starts after seq 1`);
  }, 60_000);

  it("moves a legacy journal.log into journal/ under its first record's seq and replays it", async () => {
    // A journal of the one-file layout: the records a server wrote, concatenated into journal.log.
    let server = await start();
    const bodies = documents(1, 10);
    for (const body of bodies) expect((await capture(server, body)).status).toBe(202);
    const before = await states(server, bodies.length);
    server.kill('SIGKILL');
    await server.exited;
    const legacy = Buffer.concat(
      journalFiles(server.dataDir).map((file) => readFileSync(join(server.dataDir, file))),
    );
    const dataDir = tempDir();
    writeFileSync(join(dataDir, LEGACY_JOURNAL_FILE), legacy);

    server = await start(dataDir);
    expect(existsSync(join(dataDir, LEGACY_JOURNAL_FILE))).toBe(false);
    expect(readFileSync(join(dataDir, JOURNAL_DIR, segmentName(1))).subarray(0, legacy.length)).toEqual(
      legacy,
    );
    expect(await states(server, bodies.length)).toEqual(before);
    expect((await capture(server, bodies[0]!)).job).toContain('ResourceAlreadyExistsException');

    // Both layouts at once: the server does not guess which one is the truth.
    server.kill('SIGKILL');
    await server.exited;
    writeFileSync(join(dataDir, LEGACY_JOURNAL_FILE), legacy);
    const refused = await refusedStart(dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('journal.log and segments in journal/ both exist');
  }, 60_000);
});
