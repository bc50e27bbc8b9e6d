// The pair as a site runs it: tracker-server.wasm under WasmEdge appends every accepted event to
// DATA_DIR/journal.log, and the Node service in sidecar mode (JOURNAL_TAIL) on the same DATA_DIR
// carries it into SQLite through the one ingest path.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent } from '../../helpers/epcis-builders.js';
import { ServiceGroup, type ServiceProcess, tempDataDir } from '../../helpers/service-process.js';
import { validExamples } from '../../helpers/shared-data.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal } from '../wasmedge-server/support/journal-reader.js';
import { WasmEdgeServer, stopAll } from '../wasmedge-server/support/wasmedge-server.js';

const SEQ_HEADER = 'Edgetrace-Journal-Seq';
let wasmedge: string;
let module: string;
const services = new ServiceGroup();
const dirs: (() => void)[] = [];

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await services.killAll();
  await stopAll();
  for (const remove of dirs.splice(0)) remove();
});

const startServer = () => WasmEdgeServer.start({ runtime: wasmedge, module });
const startSidecar = (dataDir: string, env: Record<string, string> = {}) =>
  services.start({ dataDir, env: { JOURNAL_TAIL: 'true', ...env } });

function nodeService(): Promise<ServiceProcess> {
  const data = tempDataDir();
  dirs.push(data.remove);
  return services.start({ dataDir: data.dir });
}

async function capture(baseUrl: string, body: Buffer): Promise<number> {
  const response = await fetch(`${baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Every event GET /events answers, following next-page links, without the per-site recordTime. */
async function allEvents(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  let url: string | null = `${baseUrl}/events?perPage=1000`;
  while (url !== null) {
    const response: Response = await fetch(url, { headers });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
    };
    for (const stored of body.epcisBody.queryResults.resultsBody.eventList) {
      const event = { ...stored };
      delete event['recordTime'];
      events.push(event);
    }
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '');
    url = next === null ? null : new URL(next[1]!, baseUrl).toString();
  }
  return events.sort((a, b) => String(a['eventID']).localeCompare(String(b['eventID'])));
}

const lastSeq = (dataDir: string) => Number(readJournal(dataDir).records.at(-1)?.seq ?? 0n);

function storedSeqFile(dataDir: string): number {
  const file = join(dataDir, 'journal-stored-seq');
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
}

async function waitForStored(dataDir: string, seq: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (storedSeqFile(dataDir) < seq) {
    if (Date.now() > deadline)
      throw new Error(`the sidecar stored up to ${storedSeqFile(dataDir)}, not ${seq}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

interface StoreCounts {
  events: number;
  distinctKeys: number;
  outbox: number;
  storedSeq: number | null;
}

function storeCounts(dataDir: string): StoreCounts {
  const db = new Database(join(dataDir, 'edgetrace.db'), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).pluck().get() as number | undefined) ?? null;
    return {
      events: one('SELECT count(*) FROM events')!,
      distinctKeys: one(
        "SELECT count(DISTINCT event_id || '@' || coalesce(declaration_time_ms, '')) FROM events",
      )!,
      outbox: one('SELECT count(*) FROM outbox')!,
      storedSeq: one('SELECT stored_seq FROM journal_position'),
    };
  } finally {
    db.close();
  }
}

/** `count` single-event documents with eventIDs numbered from `from`, in documents of `perDocument`. */
function documents(from: number, count: number, perDocument: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let at = from; at < from + count; at += perDocument) {
    const events = [];
    for (let n = at; n < Math.min(at + perDocument, from + count); n++) {
      const event = objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [`urn:epc:id:sgtin:0614141.107346.${n}`], {
        bizLocation: 'urn:epc:id:sgln:0614141.00001.0',
      });
      event['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      events.push(event);
    }
    bodies.push(Buffer.from(JSON.stringify(epcisDocument(events))));
  }
  return bodies;
}

describe('the sidecar (JOURNAL_TAIL) beside tracker-server.wasm', () => {
  it('stores what the server captured with the same eventIDs and bodies as a Node service that captured it directly', async () => {
    const server = await startServer();
    const sidecar = await startSidecar(server.dataDir);
    const node = await nodeService();
    for (const document of validExamples()) {
      const [onServer, onNode] = await Promise.all([
        capture(server.baseUrl, document.bytes),
        capture(node.baseUrl, document.bytes),
      ]);
      expect(onServer, document.name).toBe(onNode);
    }
    const seq = lastSeq(server.dataDir);
    expect(seq).toBeGreaterThan(10);
    const fromSidecar = await allEvents(sidecar.baseUrl, { [SEQ_HEADER]: String(seq) });
    expect(fromSidecar).toEqual(await allEvents(node.baseUrl));
    // They are this site's captures: each waits in the outbox, as on the Node service.
    const counts = storeCounts(server.dataDir);
    expect(counts).toMatchObject({ events: fromSidecar.length, outbox: fromSidecar.length, storedSeq: seq });
  }, 60_000);

  it('answers a request carrying Edgetrace-Journal-Seq once that record is stored, and 503 when it is not in time', async () => {
    const server = await startServer();
    const sidecar = await startSidecar(server.dataDir, { JOURNAL_SEQ_WAIT: '3s' });
    const [body] = documents(1, 1, 1);
    const query = `${sidecar.baseUrl}/events?EQ_eventID=urn:uuid:00000000-0000-4000-8000-000000000001`;
    // Asked before the capture exists: the answer waits for it instead of coming back empty.
    const answer = fetch(query, { headers: { [SEQ_HEADER]: '1' } }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
    await new Promise((done) => setTimeout(done, 200));
    expect(await capture(server.baseUrl, body!)).toBe(202);
    const { status, body: text } = await answer;
    expect(status).toBe(200);
    expect(text).toContain('urn:uuid:00000000-0000-4000-8000-000000000001');

    const late = await fetch(query, { headers: { [SEQ_HEADER]: '2' }, signal: AbortSignal.timeout(10_000) });
    expect(late.status).toBe(503);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(late.headers.get('retry-after')).toBe('1');
    expect(await late.json()).toMatchObject({ status: 503, header: SEQ_HEADER });
  }, 60_000);

  it('stores every journalled event exactly once after a kill -9 in the middle of the tail', async () => {
    const server = await startServer();
    for (const body of documents(1, 6000, 500)) expect(await capture(server.baseUrl, body)).toBe(202);
    const last = lastSeq(server.dataDir);
    expect(last).toBe(6000);
    const first = await startSidecar(server.dataDir);
    while (storedSeqFile(server.dataDir) === 0) await new Promise((done) => setTimeout(done, 2));
    await first.kill();
    const atKill = storeCounts(server.dataDir);
    expect(atKill.storedSeq).toBeLessThan(last);
    expect(atKill.events).toBe(atKill.storedSeq);

    await startSidecar(server.dataDir);
    await waitForStored(server.dataDir, last);
    expect(storeCounts(server.dataDir)).toEqual({
      events: last,
      distinctKeys: last,
      outbox: last,
      storedSeq: last,
    });
  }, 60_000);

  it('stores nothing twice when the same journal is tailed again from the start', async () => {
    const server = await startServer();
    for (const body of documents(1, 300, 100)) expect(await capture(server.baseUrl, body)).toBe(202);
    const last = lastSeq(server.dataDir);
    const sidecar = await startSidecar(server.dataDir);
    await waitForStored(server.dataDir, last);
    const metrics = await (await fetch(`${sidecar.baseUrl}/metrics`)).text();
    expect(metrics).toContain(`edgetrace_journal_records_stored_total ${last}`);
    expect(metrics).toContain('edgetrace_journal_tail_lag_records 0');
    await sidecar.stop();
    const once = storeCounts(server.dataDir);
    expect(once).toEqual({ events: last, distinctKeys: last, outbox: last, storedSeq: last });

    const db = new Database(join(server.dataDir, 'edgetrace.db'));
    db.exec('DELETE FROM journal_position');
    db.close();
    rmSync(join(server.dataDir, 'journal-stored-seq'));
    const again = await startSidecar(server.dataDir);
    await waitForStored(server.dataDir, last);
    await again.stop();
    expect(storeCounts(server.dataDir)).toEqual(once);
  }, 60_000);
});
