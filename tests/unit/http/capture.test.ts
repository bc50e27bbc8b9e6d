// The asynchronous capture interface through HTTP: POST /capture, its capture jobs, limits and the
// ways a payload can be refused (EPCIS.md §1.5, OpenAPI /capture and CaptureJob).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bareEvent,
  EPCIS_CONTEXT,
  epcisDocument,
  objectEvent,
  sgtin,
  type EpcisEvent,
} from '../../helpers/epcis-builders.js';
import {
  buildServiceApp,
  eventList,
  get,
  nextLink,
  post,
  type ServiceApp,
} from '../../helpers/service-app.js';
import { hashVectors } from '../../helpers/shared-data.js';
import { expectCaptureJob, expectProblem } from './helpers/expectations.js';

const NEVER_TRANSLATES = { 'GS1-EPC-Format': 'Never_Translates' };
const HASH_ID = /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/;

const observed = (serial: number, eventID?: string): EpcisEvent => ({
  ...objectEvent(`2024-05-0${(serial % 9) + 1}T10:00:00.000Z`, 'OBSERVE', [sgtin(serial)], {
    bizStep: 'shipping',
  }),
  ...(eventID === undefined ? {} : { eventID }),
});
const withBadAction = (serial: number): EpcisEvent => ({ ...observed(serial), action: 'CREATE' });
const uuid = (n: number) => `urn:uuid:5f0c7a2e-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function storedEvents(service: ServiceApp): Promise<Record<string, unknown>[]> {
  const response = await get(service.app, '/events?perPage=1000', NEVER_TRANSLATES);
  expect(response.statusCode).toBe(200);
  return eventList(response);
}

describe('POST /capture', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp();
  });
  afterEach(() => service.close());

  it.each([
    'application/json',
    'application/ld+json',
    'application/json; charset=utf-8',
    'application/ld+json; charset=UTF-8',
  ])(
    'accepts an EPCISDocument sent as %s with 202, a Location and a finished, successful job',
    async (type) => {
      const response = await post(service.app, '/capture', epcisDocument([observed(1), observed(2)]), {
        'content-type': type,
      });

      expect(response.statusCode, response.body).toBe(202);
      const job = expectCaptureJob(response.json());
      expect(response.headers['location']).toBe(`/capture/${encodeURIComponent(job.captureID)}`);
      expect(job).toMatchObject({
        running: false,
        success: true,
        captureErrorBehaviour: 'rollback',
        errors: [],
      });
      expect(job.finishedAt).toBeDefined();
      expect(response.headers['gs1-epcis-version']).toBe('2.0.0');
      expect(response.headers['gs1-cbv-version']).toBe('2.0.0');
      expect(await storedEvents(service)).toHaveLength(2);
    },
  );

  it('serves the capture job at its Location, equal to the job the 202 answered with', async () => {
    const captured = await post(service.app, '/capture', epcisDocument([observed(1)]));
    const location = captured.headers['location'];
    expect(location).toBeTypeOf('string');

    const response = await get(service.app, String(location));

    expect(response.statusCode).toBe(200);
    expect(expectCaptureJob(response.json())).toEqual(captured.json());
  });

  it('accepts an EPCISQueryDocument and stores its events', async () => {
    const queryDocument = {
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: '2024-05-01T00:00:00Z',
      epcisBody: {
        queryResults: {
          queryName: 'SimpleEventQuery',
          resultsBody: { eventList: [observed(1, uuid(1)), observed(2, uuid(2))] },
        },
      },
    };

    const response = await post(service.app, '/capture', queryDocument);

    expect(response.statusCode, response.body).toBe(202);
    expect(expectCaptureJob(response.json()).success).toBe(true);
    expect((await storedEvents(service)).map((e) => e['eventID']).sort()).toEqual([uuid(1), uuid(2)]);
  });

  it.each(['rollback', 'proceed'])(
    'treats an empty eventList as a normal, successful job with zero events (%s)',
    async (behaviour) => {
      const response = await post(service.app, '/capture', epcisDocument([]), {
        'GS1-Capture-Error-Behaviour': behaviour,
      });

      expect(response.statusCode, response.body).toBe(202);
      const job = expectCaptureJob(response.json());
      expect(job).toMatchObject({ running: false, success: true, errors: [] });
      expect((await get(service.app, String(response.headers['location']))).json()).toEqual(job);
      expect(await storedEvents(service)).toEqual([]);
    },
  );

  it('keeps the eventID a client sent and sets recordTime to the time of capture', async () => {
    const before = Date.now();
    await post(service.app, '/capture', epcisDocument([observed(1, uuid(1))]));
    const after = Date.now();

    const [event] = await storedEvents(service);
    expect(event?.['eventID']).toBe(uuid(1));
    const recordTime = Date.parse(String(event?.['recordTime']));
    expect(recordTime).toBeGreaterThanOrEqual(before);
    expect(recordTime).toBeLessThanOrEqual(after);
  });

  it('gives events sent without an eventID their CBV 2.0 hash ID (GS1 hash vectors)', async () => {
    const vectors = hashVectors().filter((v) =>
      ['ReferenceEventHashAlgorithm3', 'epcisDocWithVariousEventTypes'].includes(v.name),
    );
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) {
      expect(vector.document.bytes.toString('utf8')).not.toContain('"eventID"');
      const response = await post(service.app, '/capture', vector.document.bytes);
      expect(expectCaptureJob(response.json()).success, response.body).toBe(true);
      for (const hash of vector.hashes) {
        const found = await get(
          service.app,
          `/events?EQ_eventID=${encodeURIComponent(hash)}`,
          NEVER_TRANSLATES,
        );
        expect(
          eventList(found).map((e) => e['eventID']),
          `${vector.name}: ${hash}`,
        ).toEqual([hash]);
      }
    }
    expect(await storedEvents(service)).toHaveLength(14);
  });

  describe('GS1-Capture-Error-Behaviour', () => {
    it.each<Record<string, string>>([{}, { 'GS1-Capture-Error-Behaviour': 'rollback' }])(
      'rejects a document with one invalid event as a whole: 400 naming the event and field, nothing stored (%o)',
      async (headers) => {
        const response = await post(
          service.app,
          '/capture',
          epcisDocument([observed(1), withBadAction(2), observed(3)]),
          headers,
        );

        const problem = expectProblem(response, 400, 'ValidationException');
        expect(problem.detail).toContain('event 1');
        expect(problem.detail).toContain('/epcisBody/eventList/1/action');
        expect(problem['errors']).toEqual([
          expect.objectContaining({
            type: 'epcisException:ValidationException',
            eventIndex: 1,
            pointer: '/epcisBody/eventList/1/action',
          }),
        ]);
        expect(await storedEvents(service)).toEqual([]);
        expect((await get(service.app, '/capture')).json()).toEqual([]);
      },
    );

    it('stores the valid events and reports the invalid one in a failed job with proceed', async () => {
      const response = await post(
        service.app,
        '/capture',
        epcisDocument([observed(1, uuid(1)), withBadAction(2), observed(3, uuid(3))]),
        { 'GS1-Capture-Error-Behaviour': 'proceed' },
      );

      expect(response.statusCode, response.body).toBe(202);
      const job = expectCaptureJob(response.json());
      expect(job).toMatchObject({ running: false, success: false, captureErrorBehaviour: 'proceed' });
      expect(job.errors).toEqual([
        expect.objectContaining({
          type: 'epcisException:ValidationException',
          eventIndex: 1,
          pointer: '/epcisBody/eventList/1/action',
        }),
      ]);
      expect(job.errors[0]?.detail).toMatch(/action/);
      expect((await storedEvents(service)).map((e) => e['eventID']).sort()).toEqual([uuid(1), uuid(3)]);
      expect((await get(service.app, String(response.headers['location']))).json()).toEqual(job);
    });

    it('refuses a value other than rollback or proceed with 400 and stores nothing', async () => {
      const response = await post(service.app, '/capture', epcisDocument([observed(1)]), {
        'GS1-Capture-Error-Behaviour': 'greedy',
      });

      expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(
        /GS1-Capture-Error-Behaviour/,
      );
      expect(await storedEvents(service)).toEqual([]);
    });
  });

  describe('duplicate eventIDs', () => {
    it('fails the whole job with ResourceAlreadyExistsException when a document repeats an eventID (rollback)', async () => {
      const response = await post(
        service.app,
        '/capture',
        epcisDocument([observed(1, uuid(1)), observed(1, uuid(1))]),
      );

      expect(response.statusCode).toBe(202);
      const job = expectCaptureJob(response.json());
      expect(job).toMatchObject({ running: false, success: false });
      expect(job.errors).toEqual([
        expect.objectContaining({ type: 'epcisException:ResourceAlreadyExistsException', eventID: uuid(1) }),
      ]);
      expect(await storedEvents(service)).toEqual([]);
    });

    it('stores a repeated eventID once and reports the repeat with proceed', async () => {
      const response = await post(
        service.app,
        '/capture',
        epcisDocument([observed(1, uuid(1)), observed(1, uuid(1)), observed(2, uuid(2))]),
        { 'GS1-Capture-Error-Behaviour': 'proceed' },
      );

      const job = expectCaptureJob(response.json());
      expect(job.success).toBe(false);
      expect(job.errors).toEqual([
        expect.objectContaining({ type: 'epcisException:ResourceAlreadyExistsException', eventID: uuid(1) }),
      ]);
      expect((await storedEvents(service)).map((e) => e['eventID']).sort()).toEqual([uuid(1), uuid(2)]);
    });

    it('fails the job of a document whose events are already stored, without storing them twice', async () => {
      const document = epcisDocument([observed(1), observed(2)]);
      expect(expectCaptureJob((await post(service.app, '/capture', document)).json()).success).toBe(true);

      const again = expectCaptureJob((await post(service.app, '/capture', document)).json());

      expect(again.success).toBe(false);
      expect(again.errors.map((e) => e.type)).toEqual([
        'epcisException:ResourceAlreadyExistsException',
        'epcisException:ResourceAlreadyExistsException',
      ]);
      for (const error of again.errors) expect(error['eventID']).toMatch(HASH_ID);
      expect(await storedEvents(service)).toHaveLength(2);
    });
  });

  describe('refused payloads', () => {
    it('refuses a bare event with 400 and points to POST /events', async () => {
      const response = await post(service.app, '/capture', bareEvent(observed(1)));

      expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/POST \/events/);
      expect(await storedEvents(service)).toEqual([]);
    });

    it.each([
      ['text/plain', '{}'],
      ['application/yaml', 'type: EPCISDocument'],
    ])('refuses a %s body with 415 UnsupportedMediaTypeException', async (type, body) => {
      const response = await post(service.app, '/capture', body, { 'content-type': type });

      expectProblem(response, 415, 'UnsupportedMediaTypeException');
    });

    it('refuses malformed JSON with 400 naming the line and column', async () => {
      const text = '{\n  "type": "EPCISDocument",\n  "schemaVersion": "2.0",,\n  "epcisBody": {}\n}';

      const response = await post(service.app, '/capture', text);

      expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/line 3, column \d+/);
    });

    it('refuses an empty body with 400', async () => {
      const response = await post(service.app, '/capture', '');

      expect(expectProblem(response, 400, 'ValidationException').detail).toMatch(/empty|no JSON value/);
    });
  });
});

describe('POST /capture limits', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp({ config: { captureLimitEvents: 3, captureLimitBytes: 4096 } });
  });
  afterEach(() => service.close());

  it('announces the limits with OPTIONS /capture: 204 with GS1-EPCIS-Capture-Limit and -File-Size-Limit', async () => {
    const response = await service.app.inject({ method: 'OPTIONS', url: '/capture' });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['gs1-epcis-capture-limit']).toBe('3');
    expect(response.headers['gs1-epcis-capture-file-size-limit']).toBe('4096');
    expect(String(response.headers['allow'])).toMatch(/POST/);
    expect(response.headers['gs1-epcis-version']).toBe('2.0.0');
    expect(response.headers['gs1-capture-error-behaviour']).toMatch(/rollback/);
  });

  it('refuses a document with more events than the capture limit with 413 and the limit headers', async () => {
    const response = await post(
      service.app,
      '/capture',
      epcisDocument([1, 2, 3, 4].map((n) => observed(n))),
      {
        'GS1-Capture-Error-Behaviour': 'proceed',
      },
    );

    expect(expectProblem(response, 413, 'CaptureLimitExceededException').detail).toMatch(
      /4 events.*limit is 3/,
    );
    expect(response.headers['gs1-epcis-capture-limit']).toBe('3');
    expect(response.headers['gs1-epcis-capture-file-size-limit']).toBe('4096');
    expect(await storedEvents(service)).toEqual([]);
  });

  it('accepts a document of exactly the capture limit', async () => {
    const response = await post(service.app, '/capture', epcisDocument([1, 2, 3].map((n) => observed(n))));

    expect(expectCaptureJob(response.json()).success).toBe(true);
  });

  it('refuses a body over the file size limit with 413 and the limit headers', async () => {
    const big = objectEvent(
      '2024-05-01T10:00:00Z',
      'OBSERVE',
      Array.from({ length: 120 }, (_, i) => sgtin(i)),
    );

    const response = await post(service.app, '/capture', epcisDocument([big]));

    expect(expectProblem(response, 413, 'CaptureLimitExceededException').detail).toMatch(/4096 bytes/);
    expect(response.headers['gs1-epcis-capture-limit']).toBe('3');
    expect(response.headers['gs1-epcis-capture-file-size-limit']).toBe('4096');
    expect(await storedEvents(service)).toEqual([]);
  });
});

describe('GET /capture', () => {
  let service: ServiceApp;
  beforeEach(async () => {
    service = await buildServiceApp();
  });
  afterEach(() => service.close());

  it('lists capture jobs newest first, page by page through the Link header', async () => {
    const created: string[] = [];
    for (let n = 1; n <= 5; n++) {
      const response = await post(service.app, '/capture', epcisDocument([observed(n)]));
      created.push(expectCaptureJob(response.json()).captureID);
      // createdAt has millisecond resolution; keep the jobs apart so "newest first" is defined.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }

    const seen: string[] = [];
    let url: string | null = '/capture?perPage=2';
    let pages = 0;
    while (url !== null) {
      const response = await get(service.app, url);
      expect(response.statusCode).toBe(200);
      const jobs = response.json<unknown[]>().map(expectCaptureJob);
      expect(jobs.length).toBeLessThanOrEqual(2);
      seen.push(...jobs.map((job) => job.captureID));
      url = nextLink(response);
      pages++;
    }

    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
  });

  it('lists the same jobs GET /capture/{captureID} serves', async () => {
    const job = (await post(service.app, '/capture', epcisDocument([observed(1)]))).json<unknown>();

    const response = await get(service.app, '/capture');

    expect(response.json()).toEqual([job]);
    expect(response.headers['link']).toBeUndefined();
  });

  it.each(['0', '-1', '2.5', 'ten'])(
    'refuses perPage=%s with 400 QueryParameterException',
    async (perPage) => {
      expectProblem(await get(service.app, `/capture?perPage=${perPage}`), 400, 'QueryParameterException');
    },
  );

  it('refuses a nextPageToken it did not issue with 400 QueryParameterException', async () => {
    const response = await get(service.app, '/capture?nextPageToken=not-a-token');

    expect(expectProblem(response, 400, 'QueryParameterException')['parameter']).toBe('nextPageToken');
  });

  it('answers 404 NoSuchResourceException for an unknown captureID', async () => {
    const response = await get(service.app, '/capture/no-such-job');

    expect(expectProblem(response, 404, 'NoSuchResourceException').detail).toContain('no-such-job');
  });
});
