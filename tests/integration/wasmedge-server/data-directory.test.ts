// Where tracker-server.wasm keeps its data in the sandbox: K3s's runtimes (runwasi's shim, crun's
// wasmedge handler) map only the container's `/` into the module, the pod's volume mounted below
// it, so `--data-dir /data` must work through the mapped `/` as it does when `/data` itself is mapped.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal } from './support/journal-reader.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;
const roots: string[] = [];

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await stopAll();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temporary directory to map as the sandbox's `/`, with an empty `data/` in it. */
function podRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'edgetrace-wasmedge-root-'));
  roots.push(root);
  mkdirSync(join(root, 'data'));
  return root;
}

const eventId = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A document of one ObjectEvent naming `sgtin(n)`, under an eventID built from `n`. */
function oneEvent(n: number): string {
  const event = objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)], {
    bizLocation: 'urn:epc:id:sgln:0614141.00001.0',
  });
  return JSON.stringify(epcisDocument([{ ...event, eventID: eventId(n) }]));
}

async function capture(server: WasmEdgeServer, n: number): Promise<{ status: number; errors: unknown }> {
  const response = await fetch(`${server.baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: oneEvent(n),
  });
  const job = (await response.json()) as { errors?: unknown };
  return { status: response.status, errors: job.errors };
}

async function stateOf(server: WasmEdgeServer, n: number): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.baseUrl}/epcs/${encodeURIComponent(sgtin(n))}/state`);
  return { status: response.status, body: await response.text() };
}

/** Starts the server with `--dir /:<root>` and the given arguments; it must stop before listening. */
function refusedStart(root: string, dataDir: string): { status: number | null; stderr: string } {
  const result = spawnSync(wasmedge, ['--dir', `/:${root}`, module, '--port', '1', '--data-dir', dataDir], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('a data directory below a directory mapped into the sandbox', () => {
  it('captures, rotates segments, replays after a kill -9 and keeps its files in that directory', async () => {
    const root = podRoot();
    const dataDir = join(root, 'data');
    // Segments of 1 KiB: every capture below closes one, so new files are created and the journal
    // directory synced through the opened directory, not only the first segment.
    const options = {
      runtime: wasmedge,
      module,
      root,
      dataDir,
      runtimeFlags: ['--env', 'JOURNAL_SEGMENT_BYTES=1024'],
    };
    let server = await WasmEdgeServer.start(options);
    const numbers = [1, 2, 3, 4];
    for (const n of numbers) expect((await capture(server, n)).status).toBe(202);
    const before = await Promise.all(numbers.map((n) => stateOf(server, n)));
    expect(before.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // The sidecar's stored seq is read through the same directory.
    writeFileSync(join(dataDir, 'journal-stored-seq'), '1\n');
    const ready = (await (await fetch(`${server.baseUrl}/ready`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ ready: true, journalWritable: true, journalLastSeq: 4, storedSeq: 1 });

    server.kill('SIGKILL');
    await server.exited;
    server = await WasmEdgeServer.start(options);
    expect(await Promise.all(numbers.map((n) => stateOf(server, n)))).toEqual(before);
    const again = await capture(server, 1);
    expect(again.status).toBe(202);
    expect(again.errors).toHaveLength(1);

    const journal = readJournal(dataDir);
    expect(journal.segments.length).toBeGreaterThan(1);
    expect(journal.records.map((r) => r.payload.eventId)).toEqual(numbers.map(eventId));
    expect(readdirSync(root)).toEqual(['data']);
  });

  it('refuses a data directory no mapped directory covers, comparing whole path components', () => {
    const root = podRoot();
    const result = spawnSync(
      wasmedge,
      ['--dir', `/data:${join(root, 'data')}`, module, '--port', '1', '--data-dir', '/data2'],
      { encoding: 'utf8', timeout: 10_000 },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'the data directory /data2 is not mapped into the sandbox (wasmedge --dir /data2:<host path>, or map a directory above it)',
    );
  });

  it('refuses a data directory that does not exist below the mapped directory', () => {
    const root = podRoot();
    const result = refusedStart(root, '/missing/data');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'the data directory /missing/data does not exist in the mapped directory /',
    );
    expect(readdirSync(root)).toEqual(['data']);
  });

  it('refuses a data directory that is a file', () => {
    const root = podRoot();
    writeFileSync(join(root, 'data', 'file'), 'not a directory');
    const result = refusedStart(root, '/data/file');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the data directory /data/file is not a directory');
  });

  it("refuses a data directory with a '..' component even when it would lead back inside", () => {
    const root = podRoot();
    const result = refusedStart(root, '/data/../data');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("the data directory /data/../data has a '..' component");
    expect(readdirSync(join(root, 'data'))).toEqual([]);
  });
});
