// tracker-server.wasm's journal: what a 202 acknowledged survives kill -9 exactly once, a restart
// replays the journal into the same state answers, and a torn or garbled tail is cut at start.
import { appendFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { seeded } from '../../helpers/seeded-random.js';
import { validExamples } from '../../helpers/shared-data.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { JOURNAL_FILE, readJournal, storeKey } from './support/journal-reader.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(stopAll);

const start = (dataDir?: string) => WasmEdgeServer.start({ runtime: wasmedge, module, dataDir });

async function restart(server: WasmEdgeServer): Promise<WasmEdgeServer> {
  server.kill('SIGKILL');
  await server.exited;
  return start(server.dataDir);
}

/** A document of one ObjectEvent that names `epc`, under eventID `urn:uuid:…` built from `n`. */
function oneEvent(n: number, epc: string): Buffer {
  const event = objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [epc], {
    bizLocation: 'urn:epc:id:sgln:0614141.00001.0',
  });
  event['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return Buffer.from(JSON.stringify(epcisDocument([event])));
}

async function capture(server: WasmEdgeServer, body: Buffer): Promise<{ status: number; job: string }> {
  const response = await fetch(`${server.baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  });
  return { status: response.status, job: await response.text() };
}

async function state(server: WasmEdgeServer, epc: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.baseUrl}/epcs/${encodeURIComponent(epc)}/state`);
  return { status: response.status, body: await response.text() };
}

const journalBytes = (server: WasmEdgeServer) => statSync(join(server.dataDir, JOURNAL_FILE)).size;

describe('the journal of tracker-server.wasm', () => {
  it('replays at restart into the same state answers, and still knows every stored event ID', async () => {
    const documents = validExamples();
    let server = await start();
    for (const document of documents) {
      const response = await fetch(`${server.baseUrl}/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(document.bytes),
      });
      await response.text();
    }
    const identifiers = [
      ...new Set(
        documents.flatMap((d) =>
          [...d.bytes.toString().matchAll(/"(urn:epc:id:sgtin:[^"]+)"/g)].map((m) => m[1]!),
        ),
      ),
    ];
    const before = await Promise.all(identifiers.map((epc) => state(server, epc)));
    expect(before.filter((answer) => answer.status === 200).length).toBeGreaterThan(10);
    const records = readJournal(server.dataDir).records.length;

    server = await restart(server);
    const after = await Promise.all(identifiers.map((epc) => state(server, epc)));
    expect(after).toEqual(before);
    // The same document again is refused event by event: the restarted server knows them all.
    const again = await capture(server, documents[0]!.bytes);
    expect(again.status).toBe(202);
    expect(again.job).toContain('"success":false');
    expect(again.job).toContain('ResourceAlreadyExistsException');
    expect(readJournal(server.dataDir).records.length).toBe(records);
  }, 60_000);

  it('cuts a record torn in the middle at start, keeps every record before it, and takes the event again', async () => {
    let server = await start();
    expect((await capture(server, oneEvent(1, sgtin(1)))).status).toBe(202);
    const firstBytes = journalBytes(server);
    expect((await capture(server, oneEvent(2, sgtin(2)))).status).toBe(202);
    const bothBytes = journalBytes(server);
    server.kill('SIGKILL');
    await server.exited;
    truncateSync(join(server.dataDir, JOURNAL_FILE), bothBytes - 7);

    server = await start(server.dataDir);
    expect(journalBytes(server)).toBe(firstBytes);
    expect((await state(server, sgtin(1))).status).toBe(200);
    expect((await state(server, sgtin(2))).status).toBe(404);
    const retried = await capture(server, oneEvent(2, sgtin(2)));
    expect(retried.job).toContain('"success":true');
    const journal = readJournal(server.dataDir);
    expect(journal.records.map((r) => r.payload.eventId)).toEqual([
      'urn:uuid:00000000-0000-4000-8000-000000000001',
      'urn:uuid:00000000-0000-4000-8000-000000000002',
    ]);
    expect(journal.intactBytes).toBe(journal.fileBytes);
  }, 30_000);

  it('cuts garbage appended after the last record and keeps appending after the last good one', async () => {
    let server = await start();
    expect((await capture(server, oneEvent(1, sgtin(1)))).status).toBe(202);
    expect((await capture(server, oneEvent(2, sgtin(2)))).status).toBe(202);
    const goodBytes = journalBytes(server);
    const before = await state(server, sgtin(2));
    server.kill('SIGKILL');
    await server.exited;
    const random = seeded(10);
    // A plausible header (a length that fits) over random bytes: only the checksum tells it apart.
    const garbage = Buffer.alloc(64, 0);
    garbage.writeUInt32LE(48, 0);
    for (let i = 4; i < garbage.length; i++) garbage[i] = Math.floor(random() * 256);
    appendFileSync(join(server.dataDir, JOURNAL_FILE), garbage);

    server = await start(server.dataDir);
    expect(journalBytes(server)).toBe(goodBytes);
    expect(await state(server, sgtin(2))).toEqual(before);
    expect((await capture(server, oneEvent(3, sgtin(3)))).status).toBe(202);
    server = await restart(server);
    expect((await state(server, sgtin(3))).status).toBe(200);
    const journal = readJournal(server.dataDir);
    expect(journal.records.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    expect(journal.intactBytes).toBe(journal.fileBytes);
  }, 30_000);

  it('holds every acknowledged event exactly once after kill -9 during a stream of captures', async () => {
    let server = await start();
    const acknowledged = new Set<string>();
    let next = 0;
    let stopping = false;
    // Four clients send one-event documents back to back; the server is killed while they do.
    const client = async () => {
      while (!stopping && next < 2000) {
        const n = ++next;
        try {
          const { status } = await capture(server, oneEvent(n, sgtin(`s${n}`)));
          if (status === 202)
            acknowledged.add(`urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
        } catch {
          return; // the connection died with the server: not acknowledged
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    const startedMs = Date.now();
    while (acknowledged.size < 200 && Date.now() - startedMs < 20_000) {
      await new Promise((done) => setTimeout(done, 10));
    }
    server.kill('SIGKILL');
    stopping = true;
    await Promise.all(clients);
    expect(acknowledged.size).toBeGreaterThanOrEqual(200);

    const journal = readJournal(server.dataDir);
    const keys = journal.records.map(storeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const id of acknowledged) expect(keys).toContain(id);

    server = await start(server.dataDir);
    for (const id of acknowledged) {
      const n = Number(id.slice(-12));
      expect((await state(server, sgtin(`s${n}`))).status, id).toBe(200);
    }
  }, 60_000);
});
