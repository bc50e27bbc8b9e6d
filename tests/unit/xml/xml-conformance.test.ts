// GS1's, OpenEPCIS's and the reference hash generator's published XML through the whole service:
// every valid document is captured with Content-Type: application/xml, every invalid one is refused
// naming the element, every XML/JSON pair gives the same hash IDs and the same stored events, every
// XML hash vector gives its published IDs, and every hash-equal file one ID for all its events.
// The data is read from ../shared/conformance/xml (helpers/xml-examples.ts), never copied here.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { expectCaptureJob, expectProblem } from '../http/helpers/expectations.js';
import {
  hashEqualFiles,
  invalidXml,
  isBareEvent,
  TWIN_DIFFERENCES,
  validXml,
  type XmlExample,
  xmlHashVectors,
  xmlPairs,
} from './helpers/xml-examples.js';

type Json = Record<string, unknown>;

const XML = { 'content-type': 'application/xml' };
const NEVER_TRANSLATES = { 'GS1-EPC-Format': 'Never_Translates' };

function captureXml(service: ServiceApp, example: XmlExample): Promise<LightMyRequestResponse> {
  return post(service.app, isBareEvent(example) ? '/events' : '/capture', example.bytes, XML);
}

/** The eventIDs (the client's, or the hash ID) of every stored event, in capture order. */
function storedIds(service: ServiceApp, column: 'event_id' | 'hash_id' = 'event_id'): string[] {
  return service.db
    .prepare<[], { id: string }>(`SELECT ${column} AS id FROM events ORDER BY seq`)
    .all()
    .map((row) => row.id);
}

/** A stored event as GET /events/{id} answers it, without what the service adds (recordTime, @context). */
async function storedEvent(service: ServiceApp, id: string): Promise<Json> {
  const response = await get(service.app, `/events/${encodeURIComponent(id)}`, NEVER_TRANSLATES);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json<{ epcisBody: { queryResults: { resultsBody: { eventList: Json[] } } } }>();
  const [event] = body.epcisBody.queryResults.resultsBody.eventList;
  const rest: Json = { ...event! };
  delete rest['recordTime'];
  delete rest['@context'];
  return normalised(rest) as Json;
}

// CBV vocabulary written as a CURIE or URI (cbv:BizStep-receiving, https://ref.gs1.org/cbv/BTT-bol).
const CBV_SPELLING = /^(?:cbv:|https:\/\/ref\.gs1\.org\/cbv\/)(?:BizStep|Disp|BTT|SDT|ER)-/;
const CBV_URN = /^urn:epcglobal:cbv:(bizstep|disp|btt|sdt|er):/;
const GS1_VOCABULARY = /^(?:gs1:|https:\/\/ref\.gs1\.org\/voc\/)/;
// A GS1 Digital Link on any resolver host (the hash reads them all as id.gs1.org).
const DIGITAL_LINK_HOST = /^https?:\/\/[^/]+\/(?=\d{2,4}\/)/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * One spelling for what the two renderings may spell differently and the CBV 2.0 hash reads alike:
 * date-times as instants, CBV values as their words, GS1 vocabulary as words, Digital Links on
 * id.gs1.org. Numbers are numbers in both after JSON.parse.
 */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, normalised(v)]));
  if (typeof value !== 'string') return value;
  if (DATE_TIME.test(value)) return new Date(value).toISOString();
  return value
    .replace(CBV_URN, '')
    .replace(CBV_SPELLING, '')
    .replace(GS1_VOCABULARY, '')
    .replace(DIGITAL_LINK_HOST, 'https://id.gs1.org/');
}

/** The event without the members a pair is known to disagree on (`a.b` names a nested one). */
function without(event: Json, members: readonly string[]): Json {
  const copy = structuredClone(event);
  for (const member of members) {
    const [first = '', second] = member.split('.');
    if (second === undefined) delete copy[first];
    else delete (copy[first] as Json | undefined)?.[second];
  }
  return copy;
}

describe('valid XML documents, captured through HTTP', () => {
  const examples = validXml();

  it('finds the published XML examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(60);
  });

  it.each(examples.map((example) => [example.name, example] as const))(
    'accepts %s',
    async (_name, example) => {
      const service = await buildServiceApp();
      try {
        const response = await captureXml(service, example);
        expect(response.statusCode, response.body).toBe(isBareEvent(example) ? 201 : 202);
        if (!isBareEvent(example)) expect(expectCaptureJob(response.json()).success).toBe(true);
        expect(storedIds(service).length).toBeGreaterThan(0);
      } finally {
        await service.close();
      }
    },
  );
});

describe('invalid XML documents, refused through HTTP', () => {
  const examples = invalidXml();
  let service: ServiceApp;
  beforeAll(async () => {
    service = await buildServiceApp();
  });
  afterAll(() => service.close());

  it.each(examples.map((example) => [example.name, example] as const))(
    'refuses %s naming the element',
    async (_name, example) => {
      const problem = expectProblem(await captureXml(service, example), 400, 'ValidationException');
      // An element path: the document element (or the bare event) first, as written.
      expect(problem.detail).toMatch(/^\/[\w.-]+:?[\w.-]*(\/|\[|:)/);
      expect(storedIds(service)).toEqual([]);
    },
  );
});

describe('XML and JSON twins (pairs.tsv)', () => {
  const pairs = xmlPairs();

  it('finds the pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(30);
  });

  it.each(pairs.map((pair) => [pair.xml.name, pair] as const))(
    '%s: same verdict, same hash IDs, same stored events as its JSON twin',
    async (_name, pair) => {
      const fromXml = await buildServiceApp();
      const fromJson = await buildServiceApp();
      try {
        const xmlAnswer = await captureXml(fromXml, pair.xml);
        const jsonAnswer = await post(
          fromJson.app,
          isBareEvent(pair.xml) ? '/events' : '/capture',
          pair.json.bytes,
        );
        const known = TWIN_DIFFERENCES[pair.xml.name];
        if (known?.refused === true) {
          expect(xmlAnswer.statusCode, known.why).toBe(400);
          expect(storedIds(fromXml)).toEqual([]);
          return;
        }
        expect(xmlAnswer.statusCode, xmlAnswer.body).toBe(jsonAnswer.statusCode);
        const ids = storedIds(fromXml);
        const members = known?.members ?? [];
        if (members.length === 0) {
          expect(ids).toEqual(storedIds(fromJson));
          expect(storedIds(fromXml, 'hash_id')).toEqual(storedIds(fromJson, 'hash_id'));
        }
        const jsonIds = storedIds(fromJson);
        expect(ids.length).toBe(jsonIds.length);
        for (const [i, id] of ids.entries()) {
          const fromXmlEvent = without(await storedEvent(fromXml, id), members);
          const fromJsonEvent = without(await storedEvent(fromJson, jsonIds[i]!), members);
          if (members.length > 0) {
            delete fromXmlEvent['eventID'];
            delete fromJsonEvent['eventID'];
          }
          expect(fromXmlEvent, known?.why).toEqual(fromJsonEvent);
        }
      } finally {
        await fromXml.close();
        await fromJson.close();
      }
    },
  );
});

describe('XML hash vectors', () => {
  const vectors = xmlHashVectors();

  it.each(vectors.map((vector) => [vector.name, vector] as const))(
    '%s gets its published CBV 2.0 hash IDs',
    async (_name, vector) => {
      const service = await buildServiceApp();
      try {
        const response = await captureXml(service, vector.document);
        expect(response.statusCode, response.body).toBe(202);
        const ids = storedIds(service, 'hash_id');
        expect(ids).toEqual(vector.hashes);
      } finally {
        await service.close();
      }
    },
  );
});

describe('hash-equal XML files', () => {
  it.each(hashEqualFiles().map((file) => [file.name, file] as const))(
    '%s: every rendering of the event gets one ID',
    async (_name, file) => {
      const service = await buildServiceApp();
      try {
        // All events are one event: proceed stores the first and reports the others as duplicates.
        const response = await post(service.app, '/capture', file.bytes, {
          ...XML,
          'GS1-Capture-Error-Behaviour': 'proceed',
        });
        expect(response.statusCode, response.body).toBe(202);
        expect(storedIds(service, 'hash_id')).toHaveLength(1);
      } finally {
        await service.close();
      }
    },
  );
});
