// Named queries as a client meets them (EPCIS.md §1.6): POST /queries with every published query
// body, 201 / 409 / 404 / 204, the definition read back, and its results paginated like GET /events.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import {
  buildServiceApp,
  eventList,
  get,
  nextLink,
  post,
  type ServiceApp,
} from '../../helpers/service-app.js';
import { CONFORMANCE_DIR } from '../../helpers/shared-data.js';
import { expectProblem } from '../http/helpers/expectations.js';

const QUERIES_DIR = join(CONFORMANCE_DIR, 'epcis-examples/openepcis/2.0/EPCIS/JSON/Query/Queries');
const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

let service: ServiceApp;
beforeAll(async () => {
  service = await buildServiceApp();
});
afterAll(async () => {
  await service.close();
});

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}-${++counter}`;
const define = (name: string, query: unknown) => post(service.app, '/queries', { name, query });
const remove = (name: string) => service.app.inject({ method: 'DELETE', url: `/queries/${name}` });

describe('POST /queries with the published query bodies', () => {
  it('finds published valid and invalid query bodies', () => {
    expect(jsonFiles(QUERIES_DIR).length).toBeGreaterThan(0);
    expect(jsonFiles(join(QUERIES_DIR, 'Invalid')).length).toBeGreaterThan(0);
  });

  it.each(jsonFiles(QUERIES_DIR))('accepts %s with 201 and a Location', async (file) => {
    const name = uniqueName('valid');
    const response = await define(name, readJson(join(QUERIES_DIR, file)));

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['location']).toBe(`/queries/${name}`);
  });

  it.each(jsonFiles(join(QUERIES_DIR, 'Invalid')))(
    'rejects Invalid/%s with 400 QueryValidationException',
    async (file) => {
      const response = await define(uniqueName('invalid'), readJson(join(QUERIES_DIR, 'Invalid', file)));

      const problem = expectProblem(response, 400, 'QueryValidationException');
      expect(problem['field']).toMatch(/^query\./);
    },
  );
});

describe('named query lifecycle', () => {
  it('answers a second POST of the same name with 409 ResourceAlreadyExistsException', async () => {
    const name = uniqueName('twice');
    expect((await define(name, { eventType: ['ObjectEvent'] })).statusCode).toBe(201);

    expectProblem(
      await define(name, { eventType: ['AggregationEvent'] }),
      409,
      'ResourceAlreadyExistsException',
    );
  });

  it('answers 503 with Retry-After and stores nothing when the store cannot write (disk full)', async () => {
    const name = uniqueName('full');
    const steps = Array.from({ length: 300 }, (_, i) => `https://example.com/steps/${'s'.repeat(120)}-${i}`);
    const pages = service.db.pragma('page_count', { simple: true }) as number;
    service.db.pragma(`max_page_count = ${pages}`);
    try {
      const refused = await define(name, { EQ_bizStep: steps });
      expectProblem(refused, 503, 'ServiceUnavailableException');
      expect(refused.headers['retry-after']).toBe('5');
    } finally {
      service.db.pragma('max_page_count = 1073741823');
    }
    expectProblem(await get(service.app, `/queries/${name}`), 404, 'NoSuchNameException');
    expect((await define(name, { EQ_bizStep: steps })).statusCode).toBe(201);
  });

  it('returns the definition as it was sent, and lists it', async () => {
    const name = uniqueName('shown');
    const query = { EQ_bizStep: ['shipping', 'receiving'], eventType: ['ObjectEvent'] };
    await define(name, query);

    expect((await get(service.app, `/queries/${name}`)).json()).toEqual({ name, query });
    const listed = (await get(service.app, '/queries?perPage=1000')).json<{ name: string }[]>();
    expect(listed).toContainEqual({ name, query });
  });

  it('deletes with 204, then answers 404 NoSuchNameException', async () => {
    const name = uniqueName('gone');
    await define(name, { eventType: ['ObjectEvent'] });

    expect((await remove(name)).statusCode).toBe(204);
    expectProblem(await get(service.app, `/queries/${name}`), 404, 'NoSuchNameException');
    expectProblem(await get(service.app, `/queries/${name}/events`), 404, 'NoSuchNameException');
    expectProblem(await remove(name), 404, 'NoSuchNameException');
  });

  it.each([
    ['a name with a slash', { name: 'a/b', query: {} }, 'name'],
    ['a missing query', { name: 'noQuery' }, 'query'],
    [
      'an unknown parameter',
      { name: 'unknownParam', query: { GE_eventDate: '2026-01-01T00:00:00Z' } },
      'query.GE_eventDate',
    ],
    ['a paging parameter', { name: 'paged', query: { perPage: 5 } }, 'query.perPage'],
    ['an object value', { name: 'objectValue', query: { EQ_bizStep: { a: 1 } } }, 'query.EQ_bizStep'],
  ])('rejects %s with 400 naming the field', async (_case, body, field) => {
    const response = await post(service.app, '/queries', body);

    expect(expectProblem(response, 400, 'QueryValidationException')['field']).toBe(field);
  });
});

describe('GET /queries/{name}/events', () => {
  it('answers the named query like GET /events, page by page, under the query name', async () => {
    const captured = await post(
      service.app,
      '/capture',
      epcisDocument(
        Array.from({ length: 5 }, (_, i) =>
          objectEvent(`2026-02-0${i + 1}T10:00:00Z`, 'OBSERVE', [sgtin(9000 + i)], { bizStep: 'inspecting' }),
        ),
      ),
    );
    expect(captured.statusCode, captured.body).toBe(202);
    const name = uniqueName('inspections');
    await define(name, { EQ_bizStep: ['inspecting'], orderBy: 'eventTime', orderDirection: 'ASC' });

    const seen: string[] = [];
    let url: string | null = `/queries/${name}/events?perPage=2`;
    while (url !== null) {
      const page = await get(service.app, url);
      expect(page.statusCode, page.body).toBe(200);
      expect(
        page.json<{ epcisBody: { queryResults: { queryName: string } } }>().epcisBody.queryResults.queryName,
      ).toBe(name);
      seen.push(...eventList(page).map((e) => String(e['eventTime'])));
      url = nextLink(page);
    }

    expect(seen).toEqual(Array.from({ length: 5 }, (_, i) => `2026-02-0${i + 1}T10:00:00Z`));
  });

  it('refuses query parameters the definition fixes', async () => {
    const name = uniqueName('fixed');
    await define(name, { eventType: ['ObjectEvent'] });

    expectProblem(
      await get(service.app, `/queries/${name}/events?eventType=AggregationEvent`),
      400,
      'QueryParameterException',
    );
  });

  it('tells a plain GET with stream=true to open a WebSocket', async () => {
    const name = uniqueName('plain');
    await define(name, { eventType: ['ObjectEvent'] });

    expectProblem(
      await get(service.app, `/queries/${name}/events?stream=true`),
      400,
      'SubscriptionControlsException',
    );
  });

  it('answers a query defined again under a deleted name with the new definition', async () => {
    const name = uniqueName('redefined');
    await define(name, { EQ_bizStep: ['inspecting'] });
    expect(eventList(await get(service.app, `/queries/${name}/events`)).length).toBeGreaterThan(0);
    await remove(name);
    await define(name, { EQ_bizStep: ['destroying'] });

    expect(eventList(await get(service.app, `/queries/${name}/events`))).toEqual([]);
  });
});
