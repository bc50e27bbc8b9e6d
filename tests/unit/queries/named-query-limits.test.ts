// A named query is checked at POST /queries with the same parser and the same limits as GET /events,
// so what is stored can always be read: a definition too large to run, or with a member that is not
// an EPCIS query parameter, is refused with 400 naming it and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_VALUES } from '../../../host/query/query-value-budget.js';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';

let service: ServiceApp;
beforeAll(async () => {
  service = await buildServiceApp();
});
afterAll(() => service.close());

const pad = (i: number, width: number) => String(i).padStart(width, '0');
const eventIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `urn:uuid:00000000-0000-4000-8000-${pad(i, 12)}`);

let serial = 0;
async function define(query: unknown) {
  const name = `limits-${++serial}`;
  return { name, response: await post(service.app, '/queries', { name, query }) };
}

describe('POST /queries', () => {
  it('refuses a 40,000-value EQ_eventID list with 400 naming query.EQ_eventID, and stores nothing', async () => {
    const { name, response } = await define({ EQ_eventID: eventIds(40_000) });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/QueryValidationException/),
      field: 'query.EQ_eventID',
      detail: expect.stringMatching(/at most 500 values/),
    });
    expect((await get(service.app, `/queries/${name}`)).statusCode).toBe(404);
  });

  it('refuses a __proto__ member of the query with 400 naming it, and stores nothing', async () => {
    const name = `proto-${++serial}`;
    // Written as text: an object literal with __proto__ would set the prototype, not send the member.
    const body = `{"name":"${name}","query":{"eventType":["ObjectEvent"],"__proto__":"x"}}`;

    const response = await post(service.app, '/queries', body);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/QueryValidationException/),
      field: 'query.__proto__',
    });
    expect((await get(service.app, `/queries/${name}`)).statusCode).toBe(404);
  });
});

describe('query value budget', () => {
  it('refuses the same over-budget list at GET /events, naming the parameter', async () => {
    const list = Array.from({ length: MAX_QUERY_VALUES + 1 }, (_, i) => String(i)).join('|');

    const response = await get(service.app, `/events?EQ_eventID=${list}`);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/QueryParameterException/),
      detail: expect.stringMatching(/^EQ_eventID brings the query to 501 values/),
    });
  });

  // Each kind of list compiles to SQL differently (bound values, OR terms, UNION ALL arms, AND terms);
  // at the budget each must still run, and one value more is refused before it is stored.
  const sgtinPattern = (i: number) => `urn:epc:idpat:sgtin:0614141.1${pad(i, 5)}.*`;
  it.each([
    ['EQ_eventID', (n: number) => ({ EQ_eventID: eventIds(n) })],
    [
      'MATCH_anyEPC patterns',
      (n: number) => ({ MATCH_anyEPC: Array.from({ length: n }, (_, i) => sgtinPattern(i)) }),
    ],
    [
      'MATCH_epc',
      (n: number) => ({
        MATCH_epc: Array.from({ length: n }, (_, i) => `urn:epc:id:sgtin:0614141.107346.${i}`),
      }),
    ],
    [
      'WD_readPoint',
      (n: number) => ({
        WD_readPoint: Array.from({ length: n }, (_, i) => `urn:epc:id:sgln:0614141.00777.${i}`),
      }),
    ],
    ['EQ_quantity', (n: number) => ({ EQ_quantity: Array.from({ length: n }, (_, i) => i + 1) })],
    [
      'one extension parameter per value',
      (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`EQ_INNER_ex:f${i}`, 'x'])),
    ],
  ])('runs a named query of %s at the budget and refuses one value more', async (_, build) => {
    const atBudget = await define(build(MAX_QUERY_VALUES));
    expect(atBudget.response.statusCode, atBudget.response.body).toBe(201);
    const read = await get(service.app, `/queries/${atBudget.name}/events`);
    expect(read.statusCode, read.body).toBe(200);

    const over = await define(build(MAX_QUERY_VALUES + 1));
    expect(over.response.statusCode).toBe(400);
    expect((await get(service.app, `/queries/${over.name}`)).statusCode).toBe(404);
  });
});
