// Synchronous capture of one event (POST /events) and reading it back (GET /events/{eventID}):
// 201 with the event's Location, 409 for a true duplicate, error declarations that repeat the
// original eventID (EPCIS.md §1.5, https://github.com/gs1/EPCIS/issues/48 and /issues/403).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bareEvent,
  EPCIS_CONTEXT,
  epcisDocument,
  objectEvent,
  sgtin,
  type EpcisEvent,
} from '../../helpers/epcis-builders.js';
import { buildServiceApp, eventList, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { hashVectors } from '../../helpers/shared-data.js';
import { expectProblem } from './helpers/expectations.js';

const NEVER_TRANSLATES = { 'GS1-EPC-Format': 'Never_Translates' };
const EVENT_ID = 'https://id.example.com/events/dock-3?scan=17';

const shipped = (eventID?: string): EpcisEvent => ({
  ...objectEvent('2024-05-01T10:00:00.000+02:00', 'OBSERVE', [sgtin(1)], { bizStep: 'shipping' }),
  eventTimeZoneOffset: '+02:00',
  ...(eventID === undefined ? {} : { eventID }),
});

const declarationOf = (event: EpcisEvent, declarationTime: string): EpcisEvent => ({
  ...event,
  errorDeclaration: { declarationTime, reason: 'did_not_occur' },
});

describe('POST /events', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp();
  });
  afterEach(() => service.close());

  it('stores a bare event and answers 201 with its URL-encoded eventID as Location', async () => {
    const response = await post(service.app, '/events', bareEvent(shipped(EVENT_ID)));

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['location']).toBe(`/events/${encodeURIComponent(EVENT_ID)}`);
    const found = await get(service.app, String(response.headers['location']), NEVER_TRANSLATES);
    expect(found.statusCode).toBe(200);
    expect(eventList(found).map((e) => e['eventID'])).toEqual([EVENT_ID]);
  });

  it('answers 201 with the stored event: its eventID, recordTime and @context, identifiers as Digital Links', async () => {
    const before = Date.now();
    const response = await post(service.app, '/events', bareEvent(shipped(EVENT_ID)));

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json\b/);
    const event = response.json<Record<string, unknown>>();
    expect(event).toMatchObject({
      '@context': [EPCIS_CONTEXT],
      type: 'ObjectEvent',
      eventID: EVENT_ID,
      action: 'OBSERVE',
      epcList: ['https://id.gs1.org/01/10614141073464/21/1'],
    });
    expect(Date.parse(String(event['recordTime']))).toBeGreaterThanOrEqual(before - 1);
    const [stored] = eventList(await get(service.app, String(response.headers['location'])));
    expect(event).toEqual({ '@context': [EPCIS_CONTEXT], ...stored });
  });

  it('answers with the event as captured under GS1-EPC-Format: Never_Translates', async () => {
    const response = await post(service.app, '/events', bareEvent(shipped()), NEVER_TRANSLATES);

    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ epcList: [sgtin(1)], eventID: expect.stringMatching(/^ni:/) });
  });

  it('refuses GS1-EPC-Format: Always_EPC_URN with 406 before storing anything', async () => {
    const response = await post(service.app, '/events', bareEvent(shipped(EVENT_ID)), {
      'GS1-EPC-Format': 'Always_EPC_URN',
    });

    expectProblem(response, 406, 'NotAcceptableException');
    expect(eventList(await get(service.app, '/events'))).toEqual([]);
  });

  it('gives an event without eventID its CBV 2.0 hash ID, the same as inside a document', async () => {
    const vector = hashVectors().find((v) => v.name === 'ReferenceEventHashAlgorithm3')!;
    const document = JSON.parse(vector.document.bytes.toString('utf8')) as {
      '@context': unknown;
      epcisBody: { eventList: EpcisEvent[] };
    };
    const event = { '@context': document['@context'], ...document.epcisBody.eventList[0] };

    const response = await post(service.app, '/events', event);

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['location']).toBe(`/events/${encodeURIComponent(vector.hashes[0]!)}`);
  });

  it('answers 409 ResourceAlreadyExistsException for the same event sent twice', async () => {
    expect((await post(service.app, '/events', bareEvent(shipped(EVENT_ID)))).statusCode).toBe(201);

    const again = await post(service.app, '/events', bareEvent(shipped(EVENT_ID)));

    expect(expectProblem(again, 409, 'ResourceAlreadyExistsException')['eventID']).toBe(EVENT_ID);
    const found = await get(service.app, `/events/${encodeURIComponent(EVENT_ID)}`, NEVER_TRANSLATES);
    expect(eventList(found)).toHaveLength(1);
  });

  it('answers 409 for an event without eventID whose content was already captured by POST /capture', async () => {
    await post(service.app, '/capture', epcisDocument([shipped()]));

    expectProblem(
      await post(service.app, '/events', bareEvent(shipped())),
      409,
      'ResourceAlreadyExistsException',
    );
  });

  it('accepts an error declaration repeating the original eventID; GET /events/{eventID} returns both', async () => {
    const original = shipped(EVENT_ID);
    const declaration = declarationOf(original, '2024-05-02T09:00:00.000+02:00');
    await post(service.app, '/events', bareEvent(original));

    const response = await post(service.app, '/events', bareEvent(declaration));

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['location']).toBe(`/events/${encodeURIComponent(EVENT_ID)}`);
    const found = await get(service.app, String(response.headers['location']), NEVER_TRANSLATES);
    const [first, second, ...rest] = eventList(found);
    expect(rest).toEqual([]);
    expect(first).toEqual({ ...bareEvent(original), recordTime: expect.any(String) });
    expect(second).toEqual({ ...bareEvent(declaration), recordTime: expect.any(String) });
  });

  it('answers 409 for the same error declaration sent twice', async () => {
    const declaration = bareEvent(declarationOf(shipped(EVENT_ID), '2024-05-02T09:00:00.000+02:00'));
    await post(service.app, '/events', bareEvent(shipped(EVENT_ID)));
    expect((await post(service.app, '/events', declaration)).statusCode).toBe(201);

    expectProblem(await post(service.app, '/events', declaration), 409, 'ResourceAlreadyExistsException');
  });

  it('refuses a document with 400 and points to POST /capture', async () => {
    const response = await post(service.app, '/events', epcisDocument([shipped(EVENT_ID)]));

    expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/POST \/capture/);
    expectProblem(
      await get(service.app, `/events/${encodeURIComponent(EVENT_ID)}`),
      404,
      'NoSuchResourceException',
    );
  });

  it('refuses an invalid event with 400 naming the field', async () => {
    const response = await post(service.app, '/events', bareEvent({ ...shipped(EVENT_ID), action: 'MOVE' }));

    const problem = expectProblem(response, 400, 'ValidationException');
    expect(problem.detail).toContain('/action');
    expect(problem['errors']).toEqual([expect.objectContaining({ pointer: '/action' })]);
  });

  it('refuses a body that is not JSON-LD with 415', async () => {
    const response = await post(service.app, '/events', JSON.stringify(bareEvent(shipped())), {
      'content-type': 'text/plain',
    });

    expectProblem(response, 415, 'UnsupportedMediaTypeException');
  });
});

describe('GET /events/{eventID}', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp();
  });
  afterEach(() => service.close());

  it('answers 404 NoSuchResourceException for an unknown eventID', async () => {
    const response = await get(
      service.app,
      `/events/${encodeURIComponent('urn:uuid:0f0f0f0f-0000-4000-8000-000000000000')}`,
    );

    expectProblem(response, 404, 'NoSuchResourceException');
  });

  it('returns identifiers as GS1 Digital Links by default and as captured with Never_Translates', async () => {
    await post(service.app, '/events', bareEvent(shipped(EVENT_ID)));
    const url = `/events/${encodeURIComponent(EVENT_ID)}`;

    const [asLink] = eventList(await get(service.app, url));
    const [asCaptured] = eventList(await get(service.app, url, NEVER_TRANSLATES));

    expect(asLink?.['epcList']).toEqual(['https://id.gs1.org/01/10614141073464/21/1']);
    expect(asCaptured?.['epcList']).toEqual([sgtin(1)]);
  });

  it('refuses GS1-EPC-Format: Always_EPC_URN with 406 NotAcceptableException', async () => {
    await post(service.app, '/events', bareEvent(shipped(EVENT_ID)));

    const response = await get(service.app, `/events/${encodeURIComponent(EVENT_ID)}`, {
      'GS1-EPC-Format': 'Always_EPC_URN',
    });

    expectProblem(response, 406, 'NotAcceptableException');
  });
});
