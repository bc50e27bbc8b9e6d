// tracker-server.wasm's data directory runs out of space (a 2 MiB tmpfs filled with a filler file,
// as tests/integration/service/disk-full.test.ts does for the Node service): captures are refused
// with 503 problem+json and leave no record, whole or partial, in the journal and nothing in the
// state index; /health, state lookups and /ready keep answering (/ready reports the journal not
// writable and back by itself once space returns, without leaving the Service), and the same
// captures succeed. Needs root to mount the tmpfs; without it the test
// fails (it does not skip).
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal } from './support/journal-reader.js';
import { scrape, valueOf } from './support/prometheus-text.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';
import { fillUp, mountTmpfs, unmountTmpfs } from '../../helpers/small-tmpfs.js';

const TMPFS_SIZE = '2m';

/** A document of `count` events, one new EPC each: 20 of them journal well over a page (4 KiB). */
function documentOf(tag: string, count: number): { body: string; epcs: string[] } {
  const epcs = Array.from({ length: count }, (_, i) => sgtin(`${tag}${i}`));
  const events = epcs.map((epc) => objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [epc]));
  return { body: JSON.stringify(epcisDocument(events)), epcs };
}

async function post(baseUrl: string, body: string) {
  const response = await fetch(`${baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

async function get(baseUrl: string, path: string) {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, text: await response.text() };
}

const statePath = (epc: string) => `/epcs/${encodeURIComponent(epc)}/state`;

describe('tracker-server.wasm on a full disk', () => {
  let mountPoint: string | null = null;
  let wasmedge: string;
  let module: string;

  beforeAll(() => {
    wasmedge = ensureWasmEdge();
    module = ensureServerAotModule();
    mountPoint = mountTmpfs(TMPFS_SIZE, 'edgetrace-wasmedge-disk-full-');
  });
  afterAll(async () => {
    await stopAll();
    if (mountPoint !== null) unmountTmpfs(mountPoint);
  });

  it('refuses captures with 503 and journals nothing of them, keeps answering lookups, and recovers when space returns', async () => {
    const dataDir = join(mountPoint!, 'data');
    mkdirSync(dataDir);
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, dataDir });
    const first = documentOf('before-full-', 5);
    expect((await post(server.baseUrl, first.body)).status).toBe(202);
    const stateBefore = await get(server.baseUrl, statePath(first.epcs[0]!));
    expect(stateBefore.status).toBe(200);

    const filler = join(mountPoint!, 'filler');
    expect(fillUp(filler)).toBeGreaterThan(0);
    const refused = [documentOf('while-full-a-', 20), documentOf('while-full-b-', 20)];
    for (const document of refused) {
      const answer = await post(server.baseUrl, document.body);
      expect(answer.status).toBe(503);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.text)).toMatchObject({
        type: 'epcisException:ServiceUnavailableException',
        status: 503,
        detail: expect.stringContaining('nothing was stored') as unknown,
      });
    }

    // Still serving what it holds, and nothing of the refused captures reached the state index.
    expect((await get(server.baseUrl, '/health')).status).toBe(200);
    expect(await get(server.baseUrl, statePath(first.epcs[0]!))).toEqual(stateBefore);
    expect((await get(server.baseUrl, statePath(refused[0]!.epcs[0]!))).status).toBe(404);
    const whileFull = await get(server.baseUrl, '/ready');
    expect(whileFull.status).toBe(200);
    expect(JSON.parse(whileFull.text)).toMatchObject({
      ready: true,
      indexLoaded: true,
      journalWritable: false,
    });
    const { exposition } = await scrape(server.baseUrl);
    expect(valueOf(exposition, 'edgetrace_server_journal_append_failures_total')).toBeGreaterThanOrEqual(2);
    expect(valueOf(exposition, 'edgetrace_server_state_events')).toBe(5);

    // The journal holds the first capture's records and not a byte more: no partial record.
    const journal = readJournal(dataDir);
    expect(journal.records.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(journal.intactBytes).toBe(journal.fileBytes);

    unlinkSync(filler);
    // Writable again without waiting for a capture: the write probe notices the space.
    expect(JSON.parse((await get(server.baseUrl, '/ready')).text)).toMatchObject({
      ready: true,
      journalWritable: true,
    });
    for (const document of refused) expect((await post(server.baseUrl, document.body)).status).toBe(202);
    expect((await get(server.baseUrl, statePath(refused[1]!.epcs[19]!))).status).toBe(200);
    const afterwards = readJournal(dataDir);
    expect(afterwards.records.map((r) => Number(r.seq))).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(afterwards.intactBytes).toBe(afterwards.fileBytes);
  });
});
