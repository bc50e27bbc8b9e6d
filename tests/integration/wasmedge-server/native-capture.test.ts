// tracker-server.wasm's native POST /capture, GET /capture/{id}, GET /epcs/{epc}/state and /contents against
// the in-process Node service: the same request sequence (GS1's conformance documents, valid and
// invalid, with rollback and proceed) gives the same statuses, headers and bodies, and afterwards
// every identifier those documents name has the same state on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregationEvent, epcisDocument, objectEvent, sgtin, sscc } from '../../helpers/epcis-builders.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { invalidExamples, validExamples, type ExampleDocument } from '../../helpers/shared-data.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal, storeKey } from './support/journal-reader.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';

let node: ServiceApp;
let server: WasmEdgeServer;

beforeAll(async () => {
  const wasmedge = ensureWasmEdge();
  const module = ensureServerAotModule();
  node = await buildServiceApp();
  server = await WasmEdgeServer.start({ runtime: wasmedge, module });
}, 60_000);
afterAll(async () => {
  await stopAll();
  await node.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The headers both hosts must agree on (Date, Connection and Keep-Alive are per connection). */
function comparable(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (['date', 'connection', 'keep-alive', 'location'].includes(lower)) continue;
    kept[lower] = String(value);
  }
  return kept;
}

async function both(method: string, url: string, headers: Record<string, string>, body?: Buffer) {
  const expected = await node.app.inject({ method: method as 'GET', url, headers, payload: body });
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : new Uint8Array(body),
  });
  const actual: Answer = {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
  return {
    expected: {
      status: expected.statusCode,
      headers: expected.headers as Record<string, string>,
      body: expected.body,
    },
    actual,
  };
}

/** A job's per-process values (its random ID and its clock readings) replaced by placeholders. */
function jobShape(body: string): string {
  return body
    .replace(/"captureID":"[0-9a-f-]{36}"/, '"captureID":"…"')
    .replace(/"(createdAt|finishedAt)":"[^"]+"/g, '"$1":"…"');
}

async function captureBoth(document: ExampleDocument, behaviour?: 'proceed') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (behaviour !== undefined) headers['gs1-capture-error-behaviour'] = behaviour;
  const { expected, actual } = await both('POST', '/capture', headers, document.bytes);
  expect(actual.status, document.name).toBe(expected.status);
  if (expected.status === 202) {
    expect(jobShape(actual.body), document.name).toBe(jobShape(expected.body));
    const id = (JSON.parse(actual.body) as { captureID: string }).captureID;
    expect(actual.headers['location']).toBe(`/capture/${id}`);
    // GET /capture/{id} answers the job just as the POST did.
    const job = await fetch(`${server.baseUrl}/capture/${id}`);
    expect(job.status).toBe(200);
    expect(await job.text()).toBe(actual.body);
  } else {
    expect(actual.body, document.name).toBe(expected.body);
  }
  expect(comparable(actual.headers), document.name).toEqual(comparable(expected.headers));
}

const IDENTIFIER = /"(urn:epc:id:[^"]+|https:\/\/id\.gs1\.org\/[^"]+)"/g;

function identifiersIn(documents: ExampleDocument[]): string[] {
  const found = new Set<string>();
  for (const document of documents) {
    for (const match of document.bytes.toString('utf8').matchAll(IDENTIFIER)) found.add(match[1]!);
  }
  return [...found].sort();
}

describe('tracker-server.wasm POST /capture and GET /epcs/{epc}/state and /contents answer like the Node service', () => {
  const valid = validExamples();
  const invalid = invalidExamples();

  it('captures every conformance document with the same status, headers and job or problem', async () => {
    for (const document of valid) await captureBoth(document);
    // Sent again: every event is now a duplicate, refused by event ID and journalled only once.
    for (const document of valid.slice(0, 5)) await captureBoth(document);
    for (const document of invalid) await captureBoth(document);
    for (const document of invalid) await captureBoth(document, 'proceed');
    const ids = readJournal(server.dataDir).records.map(storeKey);
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);

  it('then answers GET /epcs/{epc}/state for every identifier the documents name as the Node service does', async () => {
    const identifiers = [
      ...identifiersIn([...valid, ...invalid]),
      'urn:epc:id:sgtin:0614141.107346.never-captured',
      'urn:epc:id:sgtin:0614141.1073.bad',
      'https://id.gs1.org/01/09520123456788/21/12345',
    ];
    expect(identifiers.length).toBeGreaterThan(40);
    let known = 0;
    for (const epc of identifiers) {
      const { expected, actual } = await both('GET', `/epcs/${encodeURIComponent(epc)}/state`, {});
      expect(actual.status, epc).toBe(expected.status);
      expect(comparable(actual.headers), epc).toEqual(comparable(expected.headers));
      expect(actual.body, epc).toBe(expected.body);
      if (expected.status === 200) known++;
    }
    expect(known).toBeGreaterThan(20);
    // HEAD: the headers of GET (content-length included), no body.
    for (const epc of identifiers.slice(0, 5)) {
      for (const route of ['state', 'contents']) {
        const url = `/epcs/${encodeURIComponent(epc)}/${route}`;
        const { expected, actual } = await both('HEAD', url, {});
        expect(actual.status, url).toBe(expected.status);
        expect(comparable(actual.headers), url).toEqual(comparable(expected.headers));
        expect(actual.body, url).toBe('');
      }
    }
  }, 60_000);

  it('then answers GET /epcs/{epc}/contents for every identifier, at depth 1 and 3, as the Node service does', async () => {
    // A pallet of two cases of two items each, so that some trees have two levels.
    const packing: ExampleDocument = {
      name: 'packing',
      path: 'packing',
      bytes: Buffer.from(
        JSON.stringify(
          epcisDocument([
            aggregationEvent('2026-01-01T00:00:00Z', 'ADD', sscc(11), [sgtin(1), sgtin(2)]),
            aggregationEvent('2026-01-01T00:00:01Z', 'ADD', sscc(12), [sgtin(3), sgtin(4)]),
            aggregationEvent('2026-01-01T00:00:02Z', 'ADD', sscc(10), [sscc(11), sscc(12)]),
          ]),
        ),
      ),
    };
    await captureBoth(packing);
    const identifiers = [
      ...identifiersIn([...valid, ...invalid, packing]),
      'urn:epc:id:sgtin:0614141.1073.bad',
    ];
    let withChildren = 0;
    for (const epc of identifiers) {
      for (const query of ['', '?depth=3']) {
        const url = `/epcs/${encodeURIComponent(epc)}/contents${query}`;
        const { expected, actual } = await both('GET', url, {});
        expect(actual.status, url).toBe(expected.status);
        expect(actual.body, url).toBe(expected.body);
        expect(comparable(actual.headers), url).toEqual(comparable(expected.headers));
        if (expected.status === 200 && (JSON.parse(expected.body) as { total: number }).total > 0)
          withChildren++;
      }
    }
    expect(withChildren).toBeGreaterThan(0);
    expect(withChildren).toBeGreaterThanOrEqual(3);
    const container = sscc(10);
    for (const query of ['?depth=0', '?depth=33', '?depth=x', '?depth=1&depth=2', '?depth=%32', '?depth=']) {
      const url = `/epcs/${encodeURIComponent(container)}/contents${query}`;
      const { expected, actual } = await both('GET', url, {});
      expect(actual.status, url).toBe(expected.status);
      expect(actual.body, url).toBe(expected.body);
    }
  }, 60_000);

  it('refuses what the Node service refuses before capturing or looking up', async () => {
    const document = valid[0]!.bytes;
    const tooMany = Array.from({ length: 10_001 }, (_, i) =>
      objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(`limit${i}`)]),
    );
    const overLimit = Buffer.from(JSON.stringify(epcisDocument(tooMany)));
    const cases: Array<[string, string, Record<string, string>, Buffer | undefined]> = [
      ['POST', '/capture', { 'content-type': 'text/plain' }, document],
      ['POST', '/capture', { 'content-type': 'application/json; charset=iso-8859-1' }, document],
      ['POST', '/capture', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, document],
      [
        'POST',
        '/capture',
        { 'content-type': 'application/json', 'gs1-capture-error-behaviour': 'maybe' },
        document,
      ],
      ['POST', '/capture', { 'content-type': 'application/json' }, Buffer.from('{"type":')],
      ['POST', '/capture', { 'content-type': 'application/json', accept: 'text/html' }, document],
      // One event over CAPTURE_LIMIT_EVENTS: 413 with the limit headers.
      ['POST', '/capture', { 'content-type': 'application/json' }, overLimit],
      [
        'GET',
        '/epcs/urn%3Aepc%3Aid%3Asgtin%3A0614141.107346.2017/state',
        { 'gs1-epc-format': 'Always_EPC_URN' },
        undefined,
      ],
      [
        'GET',
        '/epcs/urn%3Aepc%3Aid%3Asgtin%3A0614141.107346.2017/state',
        { 'gs1-epc-format': 'Sometimes' },
        undefined,
      ],
    ];
    for (const [method, url, headers, body] of cases) {
      const name = `${method} ${url} ${JSON.stringify(headers)}`;
      const { expected, actual } = await both(method, url, headers, body);
      expect(actual.status, name).toBe(expected.status);
      expect(comparable(actual.headers), name).toEqual(comparable(expected.headers));
      expect(actual.body, name).toBe(expected.body);
    }
  }, 30_000);
});
