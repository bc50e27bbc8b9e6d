// XML a client may send to hurt the service or to read what it must not: DTDs and entities
// (billion laughs, external entities), nesting, size and event-count limits, broken encodings and
// tags, elements EPCIS does not define. Each is refused with problem+json naming where it went wrong,
// before anything is stored, and nothing is ever fetched or read from disk.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { expectProblem } from '../http/helpers/expectations.js';

const XML = { 'content-type': 'application/xml' };

function objectEvent(serial: number, extra = ''): string {
  return (
    `<ObjectEvent><eventTime>2026-03-01T10:00:00.000Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>` +
    `<epcList><epc>urn:epc:id:sgtin:0614141.107346.${serial}</epc></epcList><action>OBSERVE</action>${extra}</ObjectEvent>`
  );
}

function document(events: string, prolog = ''): string {
  return (
    `${prolog}<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" ` +
    `creationDate="2026-03-01T10:00:00.000Z"><EPCISBody><EventList>${events}</EventList></EPCISBody></epcis:EPCISDocument>`
  );
}

const stored = (service: ServiceApp) =>
  service.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()!.n;

describe('POST /capture with hostile XML', () => {
  let service: ServiceApp;
  // A server the XML names as an external entity or DTD: it must never be asked for anything.
  let bait: Server;
  let baitRequests = 0;
  let baitUrl = '';
  beforeAll(async () => {
    service = await buildServiceApp({
      config: { xmlMaxDepth: 12, captureLimitEvents: 5, captureLimitBytes: 64 * 1024 },
    });
    bait = createServer((_request, response) => {
      baitRequests++;
      response.end('<!ENTITY x "fetched">');
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}/evil.dtd`;
  });
  afterAll(async () => {
    await service.close();
    await new Promise((resolve) => bait.close(resolve));
  });

  it('refuses a billion-laughs DTD without expanding it', async () => {
    const laughs =
      '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ).join('') +
      ']>';
    const response = await post(
      service.app,
      '/capture',
      document(objectEvent(1, '<x:e xmlns:x="urn:x">&lol9;</x:e>'), laughs),
      XML,
    );

    expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/DOCTYPE/);
    expect(response.body.length).toBeLessThan(2000);
    expect(stored(service)).toBe(0);
  });

  it.each([
    [
      'a SYSTEM entity naming a local file',
      () => '<!DOCTYPE d [<!ENTITY f SYSTEM "file:///etc/passwd">]>',
      '&f;',
    ],
    ['a SYSTEM entity naming a URL', () => `<!DOCTYPE d [<!ENTITY f SYSTEM "${baitUrl}">]>`, '&f;'],
    ['an external DTD', () => `<!DOCTYPE d SYSTEM "${baitUrl}">`, ''],
    ['a parameter entity', () => `<!DOCTYPE d [<!ENTITY % p SYSTEM "${baitUrl}"> %p;]>`, ''],
  ])('refuses %s with 400 and reads nothing', async (_name, doctype, reference) => {
    const body = document(objectEvent(2, `<x:e xmlns:x="urn:x">${reference}</x:e>`), doctype());
    const response = await post(service.app, '/capture', body, XML);

    expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/DOCTYPE/);
    expect(response.body).not.toMatch(/root:|fetched/);
    expect(baitRequests).toBe(0);
    expect(stored(service)).toBe(0);
  });

  it('refuses an entity no DTD declares as not well-formed', async () => {
    const response = await post(
      service.app,
      '/capture',
      document(objectEvent(3, '<x:e xmlns:x="urn:x">&undeclared;</x:e>')),
      XML,
    );

    expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/not well-formed/);
  });

  it('refuses nesting deeper than XML_MAX_DEPTH, naming the element', async () => {
    const deep = `<x:a xmlns:x="urn:x">${'<x:a>'.repeat(10)}${'</x:a>'.repeat(10)}</x:a>`;
    const problem = expectProblem(
      await post(service.app, '/capture', document(objectEvent(4, deep)), XML),
      400,
      'ValidationException',
    );

    expect(problem.detail).toMatch(/XML_MAX_DEPTH/);
    expect(problem['elementPath']).toMatch(
      /^\/epcis:EPCISDocument\/EPCISBody\/EventList\/ObjectEvent\[1\]\/x:a\/x:a/,
    );
  });

  it('refuses a body over CAPTURE_LIMIT_BYTES with 413 and the limit headers', async () => {
    const padding = `<x:pad xmlns:x="urn:x">${'p'.repeat(70 * 1024)}</x:pad>`;
    const response = await post(service.app, '/capture', document(objectEvent(5, padding)), XML);

    expectProblem(response, 413, 'CaptureLimitExceededException');
    expect(response.headers['gs1-epcis-capture-file-size-limit']).toBe(String(64 * 1024));
  });

  it('refuses more events than CAPTURE_LIMIT_EVENTS with 413 naming the first one too many', async () => {
    const events = Array.from({ length: 6 }, (_, i) => objectEvent(10 + i)).join('');
    const response = await post(service.app, '/capture', document(events), XML);

    const problem = expectProblem(response, 413, 'CaptureLimitExceededException');
    expect(problem['elementPath']).toBe('/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[6]');
    expect(stored(service)).toBe(0);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const body = Buffer.concat([
      Buffer.from(document(objectEvent(6)).slice(0, 300)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('</x>'),
    ]);
    const response = await post(service.app, '/capture', body, XML);

    expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/UTF-8/);
  });

  it('refuses a declared encoding other than UTF-8', async () => {
    const body = document(objectEvent(7), '<?xml version="1.0" encoding="ISO-8859-1"?>');
    const response = await post(service.app, '/capture', body, XML);

    expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/ISO-8859-1/);
  });

  it('refuses mismatched tags, naming where', async () => {
    const body = document(objectEvent(8).replace('</action>', '</actoin>'));
    const problem = expectProblem(await post(service.app, '/capture', body, XML), 400, 'ValidationException');

    expect(problem.detail).toMatch(/not well-formed/);
    expect(problem['elementPath']).toMatch(/^\/epcis:EPCISDocument\/EPCISBody\/EventList\/ObjectEvent\[1\]/);
  });

  it.each([
    ['an unqualified element EPCIS does not define', '<colour>red</colour>', 'ObjectEvent[1]/colour'],
    [
      'an element of the EPCIS namespace it does not define',
      '<epcis:colour>red</epcis:colour>',
      'ObjectEvent[1]/epcis:colour',
    ],
    ['an unknown element inside a standard field', '', 'ObjectEvent[1]/readPoint/colour'],
  ])('refuses %s with its element path', async (_name, extra, where) => {
    let event = objectEvent(9, extra);
    if (extra === '')
      event = event.replace(
        '</ObjectEvent>',
        '<readPoint><id>urn:epc:id:sgln:0614141.00001.0</id><colour/></readPoint></ObjectEvent>',
      );
    const problem = expectProblem(
      await post(service.app, '/capture', document(event), XML),
      400,
      'ValidationException',
    );

    expect(problem['elementPath']).toBe(`/epcis:EPCISDocument/EPCISBody/EventList/${where}`);
    expect(problem.detail.startsWith(`/epcis:EPCISDocument/EPCISBody/EventList/${where}:`)).toBe(true);
  });

  it('refuses an unknown document element', async () => {
    const problem = expectProblem(
      await post(service.app, '/capture', '<epcis:Capture xmlns:epcis="urn:epcglobal:epcis:xsd:2"/>', XML),
      400,
      'ValidationException',
    );

    expect(problem['elementPath']).toBe('/epcis:Capture');
  });

  it('names the element of a value the core refuses (action CREATE)', async () => {
    const body = document(objectEvent(11) + objectEvent(12).replace('OBSERVE', 'CREATE'));
    const problem = expectProblem(await post(service.app, '/capture', body, XML), 400, 'ValidationException');

    expect(problem.detail).toMatch(
      /^\/epcis:EPCISDocument\/EPCISBody\/EventList\/ObjectEvent\[2\]\/action: /,
    );
    expect(stored(service)).toBe(0);
  });

  it('reads a body that arrives in small chunks, split inside multi-byte characters', async () => {
    const bytes = Buffer.from(
      document(objectEvent(13, '<x:note xmlns:x="urn:example:x">Grüße ✓ 📦</x:note>')),
    );
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
      bytes.subarray(i * 7, i * 7 + 7),
    );
    const response = await service.app.inject({
      method: 'POST',
      url: '/capture',
      headers: { ...XML, 'content-length': String(bytes.length) },
      payload: Readable.from(chunks),
    });

    expect(response.statusCode, response.body).toBe(202);
    expect(stored(service)).toBe(1);
    const answer = await get(service.app, '/events', {});
    expect(answer.json<Record<string, unknown>>()).toMatchObject({
      epcisBody: { queryResults: { resultsBody: { eventList: [{ 'x:note': 'Grüße ✓ 📦' }] } } },
    });
  });

  it('refuses XML on routes that do not capture (415)', async () => {
    const response = await post(service.app, '/queries', '<query/>', XML);

    expectProblem(response, 415, 'UnsupportedMediaTypeException');
  });

  it('answers 406 to Accept: application/xml where no XML answer exists', async () => {
    expectProblem(
      await get(service.app, '/capture', { accept: 'application/xml' }),
      406,
      'NotAcceptableException',
    );
  });
});
