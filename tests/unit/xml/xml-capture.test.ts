// XML capture keeps JSON capture's semantics: GS1-Capture-Error-Behaviour (rollback refuses the
// document naming the element, proceed stores the valid events in a failed job), POST /events for
// one bare event, and 1.2 documents whose refused values stand inside <extension> wrappers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { expectCaptureJob, expectProblem } from '../http/helpers/expectations.js';

const XML = { 'content-type': 'application/xml' };

function objectEvent(
  serial: number,
  action = 'OBSERVE',
  eventId = `urn:uuid:00000000-0000-4000-8000-00000000000${serial}`,
) {
  return (
    `<ObjectEvent><eventTime>2026-03-01T10:00:0${serial}.000Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>` +
    `<eventID>${eventId}</eventID><epcList><epc>urn:epc:id:sgtin:0614141.107346.${serial}</epc></epcList>` +
    `<action>${action}</action></ObjectEvent>`
  );
}

const document2 = (events: string) =>
  '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-03-01T10:00:00Z">' +
  `<EPCISBody><EventList>${events}</EventList></EPCISBody></epcis:EPCISDocument>`;

const storedIds = (service: ServiceApp) =>
  service.db
    .prepare<[], { id: string }>('SELECT event_id AS id FROM events ORDER BY seq')
    .all()
    .map((row) => row.id);

describe('POST /capture with XML', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp();
  });
  afterEach(() => service.close());

  it('refuses a document with one invalid event as a whole under rollback, naming the element', async () => {
    const body = document2(objectEvent(1) + objectEvent(2, 'CREATE') + objectEvent(3));
    const problem = expectProblem(await post(service.app, '/capture', body, XML), 400, 'ValidationException');

    expect(problem['errors']).toEqual([
      expect.objectContaining({
        eventIndex: 1,
        pointer: '/epcisBody/eventList/1/action',
        elementPath: '/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[2]/action',
      }),
    ]);
    expect(storedIds(service)).toEqual([]);
  });

  it('stores the valid events and reports the invalid one in a failed job under proceed', async () => {
    const body = document2(objectEvent(1) + objectEvent(2, 'CREATE') + objectEvent(3));
    const response = await post(service.app, '/capture', body, {
      ...XML,
      'GS1-Capture-Error-Behaviour': 'proceed',
    });

    expect(response.statusCode, response.body).toBe(202);
    const job = expectCaptureJob(response.json());
    expect(job).toMatchObject({ running: false, success: false, captureErrorBehaviour: 'proceed' });
    expect(job.errors).toEqual([
      expect.objectContaining({ eventIndex: 1, pointer: '/epcisBody/eventList/1/action' }),
    ]);
    expect(storedIds(service)).toEqual([
      'urn:uuid:00000000-0000-4000-8000-000000000001',
      'urn:uuid:00000000-0000-4000-8000-000000000003',
    ]);
  });

  it('names the element inside 1.2 extension wrappers', async () => {
    const event =
      '<ObjectEvent><eventTime>2026-03-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>' +
      '<epcList/><action>ADD</action><extension><quantityList><quantityElement>' +
      '<epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>lots</quantity>' +
      '</quantityElement></quantityList></extension></ObjectEvent>';
    const body =
      '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" schemaVersion="1.2" creationDate="2026-03-01T10:00:00Z">' +
      `<EPCISBody><EventList>${event}</EventList></EPCISBody></epcis:EPCISDocument>`;
    const problem = expectProblem(await post(service.app, '/capture', body, XML), 400, 'ValidationException');

    expect(problem.detail).toMatch(
      /^\/epcis:EPCISDocument\/EPCISBody\/EventList\/ObjectEvent\[1\]\/extension\/quantityList\/quantityElement\[1\]\/quantity: /,
    );
  });

  it('refuses a bare event: POST /capture takes documents, as for JSON', async () => {
    const problem = expectProblem(
      await post(service.app, '/capture', objectEvent(1), XML),
      400,
      'ValidationException',
    );

    expect(problem.detail).toMatch(/POST \/events/);
  });
});

describe('POST /events with XML', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp();
  });
  afterEach(() => service.close());

  it('stores one bare event (text/xml) and answers 201 with it as JSON-LD', async () => {
    const response = await post(service.app, '/events', objectEvent(4), { 'content-type': 'text/xml' });

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['location']).toBe('/events/urn%3Auuid%3A00000000-0000-4000-8000-000000000004');
    expect(response.json()).toMatchObject({ type: 'ObjectEvent', action: 'OBSERVE' });
    const again = await get(service.app, '/events/urn%3Auuid%3A00000000-0000-4000-8000-000000000004', {
      accept: 'application/xml',
    });
    expect(again.body).toContain('<eventID>urn:uuid:00000000-0000-4000-8000-000000000004</eventID>');
  });

  it('answers 409 to the same event sent again, as for JSON', async () => {
    expect((await post(service.app, '/events', objectEvent(5), XML)).statusCode).toBe(201);

    expectProblem(
      await post(service.app, '/events', objectEvent(5), XML),
      409,
      'ResourceAlreadyExistsException',
    );
  });
});
