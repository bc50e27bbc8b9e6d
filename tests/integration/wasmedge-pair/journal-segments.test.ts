// The pair over a journal of many segments (tiny JOURNAL_SEGMENT_BYTES): the sidecar follows the
// server's rotations, a kill -9 of the sidecar at a segment boundary loses and doubles nothing, and
// the server deletes a segment only once the sidecar stored it and a snapshot holds it.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { ServiceGroup } from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import {
  JOURNAL_DIR,
  journalFiles,
  readJournal,
  segmentName,
} from '../wasmedge-server/support/journal-reader.js';
import { WasmEdgeServer, stopAll } from '../wasmedge-server/support/wasmedge-server.js';

// A few records per segment: one event's record is about 1.5 KiB.
const SEGMENT_BYTES = 4096;
let wasmedge: string;
let module: string;
const services = new ServiceGroup();

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await services.killAll();
  await stopAll();
});

const startServer = () =>
  WasmEdgeServer.start({
    runtime: wasmedge,
    module,
    runtimeFlags: ['--env', `JOURNAL_SEGMENT_BYTES=${SEGMENT_BYTES}`],
  });
const startSidecar = (dataDir: string) => services.start({ dataDir, env: { JOURNAL_TAIL: 'true' } });
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Captures events numbered `from`…`from + count - 1`, `perDocument` to a document, on `clients` connections at once. */
async function captureEvents(
  server: WasmEdgeServer,
  from: number,
  count: number,
  perDocument = 1,
  clients = 1,
) {
  const bodies: Buffer[] = [];
  for (let at = from; at < from + count; at += perDocument) {
    const events = [];
    for (let n = at; n < Math.min(at + perDocument, from + count); n++) {
      const event = objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)], {
        bizLocation: 'urn:epc:id:sgln:0614141.00001.0',
      });
      event['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      events.push(event);
    }
    bodies.push(Buffer.from(JSON.stringify(epcisDocument(events))));
  }
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = client; i < bodies.length; i += clients) {
        const response = await fetch(`${server.baseUrl}/capture`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: new Uint8Array(bodies[i]!),
        });
        await response.arrayBuffer();
        expect(response.status).toBe(202);
      }
    }),
  );
}

function storedSeqFile(dataDir: string): number {
  const file = join(dataDir, 'journal-stored-seq');
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
}

async function waitFor(what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

function storeCounts(dataDir: string) {
  const db = new Database(join(dataDir, 'edgetrace.db'), { readonly: true });
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    const position = db
      .prepare(
        'SELECT stored_seq AS storedSeq, segment_first_seq AS segment, offset_bytes AS offset FROM journal_position',
      )
      .get() as { storedSeq: number; segment: number; offset: number } | undefined;
    return {
      events: one('SELECT count(*) FROM events'),
      distinctKeys: one(
        "SELECT count(DISTINCT event_id || '@' || coalesce(declaration_time_ms, '')) FROM events",
      ),
      outbox: one('SELECT count(*) FROM outbox'),
      position,
    };
  } finally {
    db.close();
  }
}

/** The first seqs of the journal segments on disk, ascending. */
const segmentSeqs = (dataDir: string) =>
  journalFiles(dataDir).map((file) => Number(/(\d{20})\.log$/.exec(file)![1]));

/** A snapshot as the sidecar names it: only its name matters to deletion; no server ever starts over it. */
function fakeSnapshot(dataDir: string, journalSeq: number): string {
  const dir = join(dataDir, 'snapshot');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${String(journalSeq).padStart(20, '0')}-${'0'.repeat(20)}.snap`);
  writeFileSync(path, '');
  return path;
}

describe('the pair over journal segments', () => {
  it('stores every event once while the server rotates segments under the tail', async () => {
    const server = await startServer();
    await startSidecar(server.dataDir);
    await captureEvents(server, 1, 240, 3, 2);
    await waitFor('the sidecar stored seq 80', () => storedSeqFile(server.dataDir) >= 80);
    const journal = readJournal(server.dataDir);
    const last = Number(journal.records.at(-1)!.seq);
    expect(journal.segments.length).toBeGreaterThan(10);
    await waitFor(`the sidecar stored seq ${last}`, () => storedSeqFile(server.dataDir) >= last);
    const counts = storeCounts(server.dataDir);
    expect(counts).toMatchObject({ events: 240, distinctKeys: 240, outbox: 240 });
    // The saved place is the segment of the last record and the end of that record in it.
    const lastRecord = journal.records.at(-1)!;
    expect(counts.position).toEqual({
      storedSeq: last,
      segment: Number(/(\d{20})\.log$/.exec(lastRecord.file)![1]),
      offset: statSync(join(server.dataDir, lastRecord.file)).size,
    });
  }, 90_000);

  it('stores every event once after a kill -9 of the sidecar at a segment boundary', async () => {
    const server = await startServer();
    await captureEvents(server, 1, 600, 1, 2);
    // Not waiting for it to be ready: by then it may have stored everything.
    const first = services.spawn({ dataDir: server.dataDir, env: { JOURNAL_TAIL: 'true' } });
    // A read never crosses a segment, so every stored place is the end of a whole segment.
    await waitFor('the sidecar stored part of the journal', () => storedSeqFile(server.dataDir) > 0);
    await first.kill();
    const atKill = storeCounts(server.dataDir);
    expect(atKill.position!.storedSeq).toBeLessThan(600);
    expect(atKill.events).toBe(atKill.position!.storedSeq);
    const segmentFile = join(server.dataDir, JOURNAL_DIR, segmentName(atKill.position!.segment));
    expect(atKill.position!.offset).toBe(statSync(segmentFile).size);

    await startSidecar(server.dataDir);
    await waitFor('the restarted sidecar stored seq 600', () => storedSeqFile(server.dataDir) >= 600);
    expect(storeCounts(server.dataDir)).toMatchObject({ events: 600, distinctKeys: 600, outbox: 600 });
  }, 90_000);

  it('deletes a segment only once the sidecar stored it and a snapshot holds it; a sidecar whose segment went rescans', async () => {
    const server = await startServer();
    const dataDir = server.dataDir;
    const sidecar = await startSidecar(dataDir);
    await captureEvents(server, 1, 60);
    // Go on until a rotation has just happened, so that the last seq ends a segment.
    let stored = 60;
    for (
      let extra = 0;
      extra < 20 && statSync(join(dataDir, journalFiles(dataDir).at(-1)!)).size > 0;
      extra++
    ) {
      await captureEvents(server, ++stored, 1);
    }
    expect(segmentSeqs(dataDir).at(-1)).toBe(stored + 1);
    await waitFor(`the sidecar stored seq ${stored}`, () => storedSeqFile(dataDir) >= stored);
    const all = segmentSeqs(dataDir);
    expect(all.length).toBeGreaterThan(10);
    // Stored but no snapshot: the server must be able to rebuild its index from the journal alone.
    // Its check runs every 5 s; 6 s covers one after the stored seq was published.
    await sleep(6000);
    expect(segmentSeqs(dataDir)).toEqual(all);

    // A snapshot through seq 30: segments wholly ≤ 30 go, the one holding 31 and later stay.
    const snapshot = fakeSnapshot(dataDir, 30);
    const holding31 = all.filter((seq) => seq <= 31).at(-1)!;
    await waitFor(
      'the segments through seq 30 are deleted',
      () => segmentSeqs(dataDir)[0] === holding31,
      15_000,
    );
    expect(segmentSeqs(dataDir)).toEqual(all.filter((seq) => seq >= holding31));

    // The sidecar stops and the server goes on: a snapshot past the stored seq does not let the
    // server delete what the sidecar has not stored.
    await sidecar.kill();
    const last = stored + 40;
    await captureEvents(server, stored + 1, 40);
    rmSync(snapshot);
    const laterSnapshot = fakeSnapshot(dataDir, last);
    const now = segmentSeqs(dataDir);
    await waitFor(
      `the segments through seq ${stored} are deleted`,
      () => segmentSeqs(dataDir)[0] === stored + 1,
      15_000,
    );
    await sleep(6000);
    expect(segmentSeqs(dataDir)).toEqual(now.filter((seq) => seq > stored));
    expect(readJournal(dataDir).records.map((r) => Number(r.seq))).toEqual(
      Array.from({ length: 40 }, (_, i) => stored + 1 + i),
    );

    // The sidecar's saved segment (the one ending at the stored seq) is gone: it starts over at
    // the oldest segment present, skips what it stored, and stores the rest once.
    const saved = storeCounts(dataDir).position!;
    expect(saved.storedSeq).toBe(stored);
    expect(existsSync(join(dataDir, JOURNAL_DIR, segmentName(saved.segment)))).toBe(false);
    await startSidecar(dataDir);
    await waitFor(`the restarted sidecar stored seq ${last}`, () => storedSeqFile(dataDir) >= last);
    expect(storeCounts(dataDir)).toMatchObject({ events: last, distinctKeys: last, outbox: last });
    // Never restart a server over a snapshot that is only a name.
    rmSync(laterSnapshot);
  }, 120_000);
});
