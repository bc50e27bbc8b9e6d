// tracker-server.wasm restarted over a long journal (5,000 events in 1 MiB segments, with error
// declarations): the replay, which parses only each record's "eventId", "declarationTimeMs" and
// "state" (assembly/server/journal/record-members.ts) and reads segments through a 1 MiB window,
// rebuilds state answers equal to the Node service's, and still refuses every event sent again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregationEvent, epcisDocument, objectEvent, sgtin, sscc } from '../../helpers/epcis-builders.js';
import type { EpcisEvent } from '../../helpers/epcis-builders.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal } from './support/journal-reader.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';

const EVENTS = 5_000;
const PER_DOCUMENT = 1_000;
const SEGMENT_BYTES = 1 << 20;
const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;

let wasmedge: string;
let module: string;
let node: ServiceApp;

beforeAll(async () => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
  node = await buildServiceApp();
}, 120_000);
afterAll(async () => {
  await stopAll();
  await node.close();
});

const start = (dataDir?: string) =>
  WasmEdgeServer.start({
    runtime: wasmedge,
    module,
    dataDir,
    runtimeFlags: ['--env', `JOURNAL_SEGMENT_BYTES=${SEGMENT_BYTES}`],
    startTimeoutMs: 60_000,
  });

const eventId = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const time = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();

/** Event n: pallets packed and unpacked, 900 items moved between 40 read points. */
function event(n: number): EpcisEvent {
  const where = {
    readPoint: `urn:epc:id:sgln:0614141.00001.${n % 40}`,
    bizLocation: `urn:epc:id:sgln:0614141.00002.${n % 7}`,
    bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
  };
  const items = [sgtin(n % 900), sgtin((n * 7) % 900)];
  const made =
    n % 5 === 0
      ? aggregationEvent(time(n), ACTIONS[n % 3]!, sscc(n % 60), items, where)
      : objectEvent(time(n), ACTIONS[n % 3]!, items, where);
  made['eventID'] = eventId(n);
  return made;
}

/** A declaration that event n was erroneous: its own record, keyed by ID + declaration time. */
function declaration(n: number): EpcisEvent {
  return { ...event(n), errorDeclaration: { declarationTime: time(n + 10_000), reason: 'incorrect_data' } };
}

function documents(): Buffer[] {
  const bodies: Buffer[] = [];
  for (let first = 1; first <= EVENTS; first += PER_DOCUMENT) {
    const events = Array.from({ length: PER_DOCUMENT }, (_, i) => event(first + i));
    // The last document also corrects ten earlier events.
    if (first + PER_DOCUMENT > EVENTS) for (let n = 3; n <= 30; n += 3) events.push(declaration(n));
    bodies.push(Buffer.from(JSON.stringify(epcisDocument(events))));
  }
  return bodies;
}

async function captureBoth(server: WasmEdgeServer, body: Buffer): Promise<{ node: string; server: string }> {
  const headers = { 'content-type': 'application/json' };
  const expected = await node.app.inject({ method: 'POST', url: '/capture', headers, payload: body });
  const actual = await fetch(`${server.baseUrl}/capture`, {
    method: 'POST',
    headers,
    body: new Uint8Array(body),
  });
  expect(actual.status).toBe(expected.statusCode);
  return { node: expected.body, server: await actual.text() };
}

async function stateBoth(server: WasmEdgeServer, epc: string) {
  const url = `/epcs/${encodeURIComponent(epc)}/state`;
  const expected = await node.app.inject({ method: 'GET', url });
  const actual = await fetch(`${server.baseUrl}${url}`);
  return {
    expected: { status: expected.statusCode, body: expected.body },
    actual: { status: actual.status, body: await actual.text() },
  };
}

/** The job's per-process values (its ID and clock readings) left out. */
const jobShape = (body: string) =>
  body
    .replace(/"captureID":"[0-9a-f-]{36}"/, '"captureID":"…"')
    .replace(/"(createdAt|finishedAt)":"[^"]+"/g, '"$1":"…"');

describe('tracker-server.wasm restarted over a journal of 5,000 events', () => {
  it('answers every state as the Node service does and refuses every event sent again', async () => {
    const bodies = documents();
    let server = await start();
    for (const body of bodies) {
      const { node: expected, server: actual } = await captureBoth(server, body);
      expect(jobShape(actual)).toBe(jobShape(expected));
    }
    const journal = readJournal(server.dataDir);
    expect(journal.records.length).toBe(EVENTS + 10);
    expect(journal.segments.length).toBeGreaterThan(3);

    server.kill('SIGKILL');
    await server.exited;
    server = await start(server.dataDir);

    const epcs = [
      ...Array.from({ length: 900 }, (_, i) => sgtin(i)),
      ...Array.from({ length: 60 }, (_, i) => sscc(i)),
      sgtin(5_000_000),
    ];
    for (const epc of epcs) {
      const { expected, actual } = await stateBoth(server, epc);
      expect(actual, epc).toEqual(expected);
    }
    // Every event, declarations included, is a duplicate now on both: nothing journalled again.
    for (const body of [bodies[0]!, bodies.at(-1)!]) {
      const { node: expected, server: actual } = await captureBoth(server, body);
      expect(jobShape(actual)).toBe(jobShape(expected));
      expect(actual).toContain('ResourceAlreadyExistsException');
    }
    expect(readJournal(server.dataDir).records.length).toBe(EVENTS + 10);
  }, 600_000);
});
