// tracker-server.wasm's native POST /events against the in-process Node service: every event of
// every conformance document, sent alone with its document's @context, gets the same status and
// headers and an equivalent body (the 201's event as GET /events/{id} renders it: JSON deep-equal,
// the record time each host's own), with and without GS1-EPC-Format; invalid events and duplicates
// the same problems; then the state of every identifier is the same and the journal holds each
// accepted event once, in the record form the sidecar stores.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EPCIS_CONTEXT, epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { invalidExamples, validExamples, type ExampleDocument } from '../../helpers/shared-data.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { readJournal, storeKey } from './support/journal-reader.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';

type Json = Record<string, unknown>;

interface Pair {
  node: ServiceApp;
  server: WasmEdgeServer;
}

const opened: ServiceApp[] = [];
let wasmedge: string;
let module: string;

// AOT compilation (when the module changed) takes minutes on a busy machine: not a test's time.
beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
}, 600_000);

async function startPair(): Promise<Pair> {
  const node = await buildServiceApp();
  opened.push(node);
  const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
  return { node, server };
}

afterEach(async () => {
  await stopAll();
  for (const node of opened.splice(0)) await node.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function both(
  pair: Pair,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ expected: Answer; actual: Answer }> {
  const injected = await pair.node.app.inject({ method: method as 'POST', url, headers, payload: body });
  const response = await fetch(`${pair.server.baseUrl}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : new Uint8Array(body),
  });
  return {
    expected: {
      status: injected.statusCode,
      headers: injected.headers as Record<string, string>,
      body: injected.body,
    },
    actual: {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    },
  };
}

/** The headers both hosts must agree on (Date, Connection and Keep-Alive are per connection). */
function comparable(headers: Record<string, unknown>, withLength: boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (['date', 'connection', 'keep-alive'].includes(lower)) continue;
    if (lower === 'content-length' && !withLength) continue;
    kept[lower] = String(value);
  }
  return kept;
}

const asList = (context: unknown): unknown[] =>
  context === undefined ? [] : Array.isArray(context) ? context : [context];

/** The event alone, as POST /events takes it: the document's @context, then the event's own entries. */
function alone(event: Json, documentContext: unknown): Buffer {
  const { '@context': own, ...members } = event;
  const context = [...asList(documentContext), ...asList(own)];
  return Buffer.from(JSON.stringify(context.length === 0 ? members : { '@context': context, ...members }));
}

/** Every event of a document sent alone; a document without an event list is sent whole. */
function eventBodies(document: ExampleDocument): Buffer[] {
  const parsed = JSON.parse(document.bytes.toString('utf8')) as Json;
  const body = parsed['epcisBody'] as Json | undefined;
  const results = (body?.['queryResults'] as Json | undefined)?.['resultsBody'] as Json | undefined;
  const list = body?.['eventList'] ?? results?.['eventList'];
  if (!Array.isArray(list)) return [document.bytes];
  return list.map((event) => alone(event as Json, parsed['@context']));
}

/** A 201's event with the record time (each host's own clock) checked and replaced. */
function withoutRecordTime(body: string): Json {
  const event = JSON.parse(body) as Json;
  expect(event['recordTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return { ...event, recordTime: '…' };
}

/** Sends `body` to both hosts and requires the same answer; returns the 201's Location or null. */
async function postBoth(pair: Pair, name: string, body: Buffer, headers: Record<string, string> = {}) {
  const { expected, actual } = await both(
    pair,
    'POST',
    '/events',
    { 'content-type': 'application/json', ...headers },
    body,
  );
  expect(actual.status, name).toBe(expected.status);
  if (expected.status !== 201) {
    expect(actual.body, name).toBe(expected.body);
    expect(comparable(actual.headers, true), name).toEqual(comparable(expected.headers, true));
    return null;
  }
  // Equivalent JSON: number spelling (1.0, 1e2) may differ, so the length may too.
  expect(withoutRecordTime(actual.body), name).toEqual(withoutRecordTime(expected.body));
  expect(comparable(actual.headers, false), name).toEqual(comparable(expected.headers, false));
  expect(Number(actual.headers['content-length']), name).toBe(Buffer.byteLength(actual.body));
  return actual.headers['location']!;
}

const IDENTIFIER = /"(urn:epc:(?:id|class):[^"]+|https:\/\/id\.gs1\.org\/[^"]+)"/g;

function identifiersIn(bodies: Buffer[]): string[] {
  const found = new Set<string>();
  for (const body of bodies)
    for (const match of body.toString('utf8').matchAll(IDENTIFIER)) found.add(match[1]!);
  return [...found].sort();
}

const FORMATS: Array<[string, Record<string, string>]> = [
  ['without GS1-EPC-Format', {}],
  ['with GS1-EPC-Format: Always_GS1_Digital_Link', { 'gs1-epc-format': 'Always_GS1_Digital_Link' }],
  ['with GS1-EPC-Format: No_Preference', { 'gs1-epc-format': 'No_Preference' }],
];

describe('tracker-server.wasm POST /events answers like the Node service', () => {
  const documents = [...validExamples(), ...invalidExamples()];
  const bodies = documents.flatMap((document) =>
    eventBodies(document).map((body, i) => ({ name: `${document.name} event ${i}`, body })),
  );

  it.each(FORMATS)(
    'captures every conformance event sent alone %s, then has the same state and journal',
    async (_, format) => {
      const pair = await startPair();
      const created: string[] = [];
      for (const { name, body } of bodies) {
        const location = await postBoth(pair, name, body, format);
        if (location !== null) created.push(location);
      }
      expect(created.length).toBeGreaterThan(60);
      expect(bodies.length - created.length).toBeGreaterThan(10);

      // Each accepted event journalled once, as a capture of one event with no capture job.
      const records = readJournal(pair.server.dataDir).records;
      expect(records.map((r) => `/events/${encodeURIComponent(r.payload.eventId)}`)).toEqual(created);
      expect(new Set(records.map(storeKey)).size).toBe(records.length);
      expect(records.every((r) => r.payload.captureId === null && r.payload.context === null)).toBe(true);

      // Sent again, every accepted event is refused as a duplicate, by both, and not journalled.
      for (const { name, body } of bodies) await postBoth(pair, `${name} again`, body, format);
      expect(readJournal(pair.server.dataDir).records).toHaveLength(records.length);

      let known = 0;
      for (const epc of identifiersIn(bodies.map((b) => b.body))) {
        const { expected, actual } = await both(pair, 'GET', `/epcs/${encodeURIComponent(epc)}/state`, {});
        expect(actual.status, epc).toBe(expected.status);
        expect(actual.body, epc).toBe(expected.body);
        if (expected.status === 200) known++;
      }
      expect(known).toBeGreaterThan(20);
    },
    120_000,
  );

  it('renders repeated EPCs once, translated identifiers, extension values and an assigned eventID as the Node service does', async () => {
    const pair = await startPair();
    const context = [EPCIS_CONTEXT, { example: 'https://ns.example.com/epcis/' }];
    const twoSpellings = {
      '@context': context,
      ...objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [
        'urn:epc:id:sscc:4012345.0000000333',
        'https://id.gs1.org/00/040123450000003338',
        sgtin('a1'),
      ]),
      readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
      bizLocation: { id: 'urn:epc:id:sgln:0614141.00888.0', 'example:floor': 2 },
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' }],
      sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00001' }],
      destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00002' }],
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
      'example:text': 'tab\tquote" slash/ é 𝄞 \u0001',
      'example:nested': { 'example:list': [true, false, null, [], {}] },
    };
    const texts: Array<[string, string, Record<string, string>]> = [
      ['two spellings of one SSCC, default format', JSON.stringify(twoSpellings), {}],
      [
        'two spellings, Never_Translates',
        JSON.stringify({ ...twoSpellings, eventTime: '2026-01-01T00:00:01Z' }),
        { 'gs1-epc-format': 'Never_Translates' },
      ],
      [
        'numbers as written, an overflowing one and minus zero',
        `{"@context":${JSON.stringify(context)},"type":"ObjectEvent","eventTime":"2026-01-01T00:00:02.000Z",` +
          `"eventTimeZoneOffset":"+00:00","epcList":["${sgtin('n1')}"],"action":"OBSERVE",` +
          `"example:a":1.50,"example:b":1E2,"example:c":-0.0,"example:d":1e400,"example:e":12345678901234567890}`,
        {},
      ],
      [
        'a client eventID and recordTime, kept in their places',
        JSON.stringify({
          '@context': context,
          eventID: 'urn:uuid:6f3c3c51-8e0e-4b1b-9a55-0c1d3f6b1a01',
          recordTime: '2020-01-01T00:00:00Z',
          ...objectEvent('2026-01-01T00:00:03Z', 'ADD', [sgtin('n2')]),
        }),
        { 'gs1-epc-format': 'Always_GS1_Digital_Link' },
      ],
    ];
    for (const [name, text, headers] of texts) {
      const location = await postBoth(pair, name, Buffer.from(text), headers);
      expect(location, name).not.toBeNull();
    }
  }, 60_000);

  it('refuses what the Node service refuses, storing nothing', async () => {
    const pair = await startPair();
    const event = {
      '@context': [EPCIS_CONTEXT],
      ...objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(1)]),
    };
    const valid = Buffer.from(JSON.stringify(event));
    const json = { 'content-type': 'application/json' };
    const tooMany = Array.from({ length: 10_001 }, (_, i) =>
      objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(`limit${i}`)]),
    );
    const without = (key: string): Buffer => {
      const copy: Json = { ...event };
      delete copy[key];
      return Buffer.from(JSON.stringify(copy));
    };
    const cases: Array<[string, Record<string, string>, Buffer]> = [
      ['missing type', json, without('type')],
      ['missing @context', json, without('@context')],
      ['bad eventTime', json, Buffer.from(JSON.stringify({ ...event, eventTime: '2026-13-01T00:00:00Z' }))],
      [
        'bad EPC',
        json,
        Buffer.from(JSON.stringify({ ...event, epcList: ['urn:epc:id:sgtin:0614141.1073.bad'] })),
      ],
      ['not JSON', json, Buffer.from('{"type":')],
      ['a JSON array', json, Buffer.from('[]')],
      [
        'a document',
        json,
        Buffer.from(
          JSON.stringify(epcisDocument([objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(2)])])),
        ),
      ],
      ['an empty document', json, Buffer.from(JSON.stringify(epcisDocument([])))],
      ['a document over the event limit (413)', json, Buffer.from(JSON.stringify(epcisDocument(tooMany)))],
      ['text/plain (415)', { 'content-type': 'text/plain' }, valid],
      ['another charset (415)', { 'content-type': 'application/json; charset=iso-8859-1' }, valid],
      ['gzip (415)', { ...json, 'content-encoding': 'gzip' }, valid],
      ['Always_EPC_URN (406)', { ...json, 'gs1-epc-format': 'Always_EPC_URN' }, valid],
      ['Accept: text/html (406)', { ...json, accept: 'text/html' }, valid],
    ];
    for (const [name, headers, body] of cases) {
      const { expected, actual } = await both(pair, 'POST', '/events', headers, body);
      expect(expected.status, name).toBeGreaterThanOrEqual(400);
      expect(actual.status, name).toBe(expected.status);
      expect(actual.body, name).toBe(expected.body);
      expect(comparable(actual.headers, true), name).toEqual(comparable(expected.headers, true));
    }
    expect(readJournal(pair.server.dataDir).records).toHaveLength(0);
    // The refusals stored nothing: the event is still new to both, then a duplicate to both.
    const location = await postBoth(pair, 'after the refusals', valid);
    const [record] = readJournal(pair.server.dataDir).records;
    expect(location).toBe(`/events/${encodeURIComponent(record!.payload.eventId)}`);
    expect(await postBoth(pair, 'a duplicate', valid)).toBeNull();
    expect(readJournal(pair.server.dataDir).records).toHaveLength(1);
  }, 60_000);
});
