// The event queries in XML: GET /events, GET /events/{eventID}, a resource view's /events and
// GET /queries/{name}/events answer Accept: application/xml with an EPCIS 2.0 EPCISQueryDocument
// that GS1's query XSD accepts (libxml2's xmllint, scripts/ensure-xmllint.sh), paginated like the
// JSON answers, and that captures back to the same events with the same hash IDs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceApp, get, nextLink, post, type ServiceApp } from '../../helpers/service-app.js';
import { expectProblem } from '../http/helpers/expectations.js';
import { eventModel, jsonDocument, renderingChoices } from './helpers/random-events.js';
import { validXml, isBareEvent, XML_DIR } from './helpers/xml-examples.js';

const XML = 'application/xml';
const QUERY_XSD = join(XML_DIR, 'gs1/XSD/EPCglobal-epcis-query-2_0.xsd');
const NEVER_TRANSLATES = { 'GS1-EPC-Format': 'Never_Translates' };
const scratch = mkdtempSync(join(tmpdir(), 'edgetrace-xml-answers-'));
let validated = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** xmllint's verdict on the answer against GS1's EPCIS 2.0 query XSD ('' when valid). */
function xsdErrors(xml: string): string {
  const file = join(scratch, `answer-${validated++}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', QUERY_XSD, file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

function expectValidXml(response: LightMyRequestResponse): string {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/xml\b/);
  expect(xsdErrors(response.body)).toBe('');
  return response.body;
}

const hashIds = (service: ServiceApp) =>
  service.db
    .prepare<[], { id: string }>('SELECT hash_id AS id FROM events ORDER BY hash_id')
    .all()
    .map((row) => row.id);

describe('event queries answered in XML', () => {
  let service: ServiceApp;
  beforeAll(async () => {
    service = await buildServiceApp();
    // Every valid published document; repeats across files (one event in several examples) are
    // reported and skipped under proceed.
    for (const example of validXml()) {
      const url = isBareEvent(example) ? '/events' : '/capture';
      await post(service.app, url, example.bytes, {
        'content-type': XML,
        'GS1-Capture-Error-Behaviour': 'proceed',
      });
    }
    expect(hashIds(service).length).toBeGreaterThan(100);
  });
  afterAll(() => service.close());

  it('pages through every event in XSD-valid pages that capture back to the same events', async () => {
    const back = await buildServiceApp();
    try {
      let url: string | null = '/events?perPage=25';
      let pages = 0;
      while (url !== null) {
        const response = await get(service.app, url, { accept: XML, ...NEVER_TRANSLATES });
        const xml = expectValidXml(response);
        pages++;
        const captured = await post(back.app, '/capture', xml, { 'content-type': XML });
        expect(captured.statusCode, captured.body).toBe(202);
        url = nextLink(response);
      }
      expect(pages).toBeGreaterThan(3);
      expect(hashIds(back)).toEqual(hashIds(service));
    } finally {
      await back.close();
    }
  });

  it('links to the next page as the JSON answer does', async () => {
    const asXml = await get(service.app, '/events?perPage=5', { accept: XML });
    const asJson = await get(service.app, '/events?perPage=5', { accept: 'application/json' });

    expect(nextLink(asXml)).not.toBeNull();
    expect(nextLink(asXml)?.replace(/nextPageToken=[^&]+/, '')).toBe(
      nextLink(asJson)?.replace(/nextPageToken=[^&]+/, ''),
    );
    expect(asXml.headers['gs1-next-page-token-expires']).toBeDefined();
  });

  it('answers GET /events/{eventID} in XML', async () => {
    const [id] = hashIds(service);
    const eventId = service.db
      .prepare<[string], { e: string }>('SELECT event_id AS e FROM events WHERE hash_id = ?')
      .get(id!)!.e;
    const xml = expectValidXml(
      await get(service.app, `/events/${encodeURIComponent(eventId)}`, { accept: XML }),
    );

    expect(xml).toContain(`<eventID>${eventId}</eventID>`);
  });

  it('answers a resource view and a named query in XML', async () => {
    const view = expectValidXml(
      await get(service.app, '/eventTypes/ObjectEvent/events?perPage=10', { accept: XML }),
    );
    expect(view).toContain('<ObjectEvent>');
    expect(view).not.toContain('<AggregationEvent>');

    const created = await post(service.app, '/queries', {
      name: 'xml-transformations',
      query: { eventType: ['TransformationEvent'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const named = expectValidXml(
      await get(service.app, '/queries/xml-transformations/events', { accept: 'text/xml' }),
    );
    expect(named).toContain('<queryName>xml-transformations</queryName>');
    expect(named).toContain('<TransformationEvent>');
  });

  it.each([
    ['application/json', /^application\/ld\+json/],
    ['application/ld+json', /^application\/ld\+json/],
    ['*/*', /^application\/ld\+json/],
    ['application/json;q=0.5, application/xml', /^application\/xml/],
    ['application/xml;q=0.5, application/json', /^application\/ld\+json/],
  ])('answers Accept: %s', async (accept, type) => {
    const response = await get(service.app, '/events?perPage=1', { accept });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(type);
  });

  it.each(['application/yaml', 'application/json;q=0'])('refuses Accept: %s with 406', async (accept) => {
    expectProblem(await get(service.app, '/events', { accept }), 406, 'NotAcceptableException');
  });
});

describe('random events answered in XML', () => {
  it('validate against the query XSD and capture back to the same hash IDs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(eventModel, { minLength: 1, maxLength: 3, selector: (event) => event.epcs[0] }),
        renderingChoices,
        async (events, choices) => {
          const source = await buildServiceApp();
          const back = await buildServiceApp();
          try {
            const captured = await post(source.app, '/capture', jsonDocument(events, choices));
            expect(captured.statusCode, captured.body).toBe(202);
            const xml = expectValidXml(
              await get(source.app, '/events', { accept: XML, ...NEVER_TRANSLATES }),
            );
            const again = await post(back.app, '/capture', xml, { 'content-type': XML });
            expect(again.statusCode, again.body).toBe(202);
            expect(hashIds(back)).toEqual(hashIds(source));
            expect(hashIds(back)).toHaveLength(events.length);
          } finally {
            await source.close();
            await back.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
