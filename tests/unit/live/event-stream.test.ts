// GET /events/stream over a real listening server on 127.0.0.1, read with node:http the way an
// EventSource or fetch() client reads it: live events in order, the filter of GET /events, resume
// with Last-Event-ID without gaps or repeats, many subscribers, slow clients, errors and shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { epcisDocument, objectEvent, sgln, sgtin, type EpcisEvent } from '../../helpers/epcis-builders.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { SseClient } from '../../helpers/sse-client.js';
import { bearer, tempFolder, writeKeyFile } from '../auth/helpers/auth-fixtures.js';

const EXAMPLE = { example: 'https://ns.example.com/epcis/' };
const DOCK = sgln('00001');
const STORE = sgln('00002');

let serial = 0;
let clock = Date.UTC(2026, 10, 25, 8, 0, 0);

/** A new, distinct ObjectEvent (its own EPC and time, so never a duplicate). */
function event(where: { bizLocation?: string; bizStep?: string } = {}, padding = 0): EpcisEvent {
  serial++;
  clock += 1000;
  const e = objectEvent(new Date(clock).toISOString(), 'OBSERVE', [sgtin(serial)], where);
  if (padding > 0) e['example:note'] = 'x'.repeat(padding);
  return e;
}

interface Running {
  service: ServiceApp;
  base: string;
}

async function start(): Promise<Running> {
  const service = await buildServiceApp();
  const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
  return { service, base: address };
}

async function capture(base: string, events: EpcisEvent[]): Promise<void> {
  const document = {
    ...epcisDocument(events),
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', EXAMPLE],
  };
  const response = await fetch(`${base}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify(document),
  });
  expect(response.status, await response.clone().text()).toBe(202);
  const job = (await response.json()) as { success?: boolean };
  expect(job.success).toBe(true);
}

/** GET /events (all pages) as the list of events it renders. */
async function queryEvents(base: string, params: Record<string, string>): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let url: string | null = `/events?${new URLSearchParams({ perPage: '1000', ...params }).toString()}`;
  while (url !== null) {
    const response: Response = await fetch(`${base}${url}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
    };
    found.push(...body.epcisBody.queryResults.resultsBody.eventList);
    const link: string | null = response.headers.get('link');
    url = link === null ? null : (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null);
  }
  return found;
}

const streamUrl = (base: string, params: Record<string, string> = {}) =>
  `${base}/events/stream${Object.keys(params).length > 0 ? `?${new URLSearchParams(params).toString()}` : ''}`;

const eventIds = (client: SseClient) =>
  client.events.map((e) => (JSON.parse(e.data) as { eventID: string }).eventID);

const parsed = (client: SseClient) => client.events.map((e) => JSON.parse(e.data) as Record<string, unknown>);

describe('GET /events/stream', () => {
  let running: Running;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(() => running.service.close());

  it('streams newly captured events in arrival order, rendered exactly as GET /events renders them', async () => {
    const { base } = running;
    await capture(base, [event(), event()]);
    const client = await SseClient.open(streamUrl(base));
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.headers['cache-control']).toBe('no-cache');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.headers['gs1-epcis-version']).toBe('2.0.0');
    const batches = [[event(), event({ bizLocation: DOCK })], [event()], [event(), event(), event()]];
    for (const batch of batches) await capture(base, batch);
    await client.waitForEvents(6);
    client.close();
    const ids = client.ids();
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(6);
    expect(client.events.every((e) => e.event === 'epcis-event')).toBe(true);
    expect(client.retryMs).toBeGreaterThan(0);
    const all = await queryEvents(base, {});
    expect(parsed(client)).toEqual(all.slice(-6));
  });

  it('delivers exactly the events GET /events selects with the same parameters, per subscriber', async () => {
    const { base } = running;
    const filters: Record<string, string>[] = [
      { EQ_bizLocation: DOCK },
      { EQ_bizStep: 'shipping' },
      { EQ_bizLocation: STORE, EQ_bizStep: 'receiving' },
      {},
    ];
    const clients = await Promise.all(filters.map((f) => SseClient.open(streamUrl(base, f))));
    const kinds = [
      { bizLocation: DOCK, bizStep: 'shipping' },
      { bizLocation: STORE, bizStep: 'receiving' },
      { bizLocation: STORE, bizStep: 'shipping' },
      {},
    ];
    for (let round = 0; round < 5; round++) {
      await capture(
        base,
        kinds.map((k) => event(k)),
      );
    }
    await clients[3]!.waitForEvents(20);
    // GET /events answers for all stored events; the streams saw those captured after they opened.
    const streamed = new Set(eventIds(clients[3]!));
    const expected = await Promise.all(filters.map((f) => queryEvents(base, f)));
    for (const [i, client] of clients.entries()) {
      const wanted = expected[i]!.filter((e) => streamed.has(e['eventID'] as string));
      await client.waitForEvents(wanted.length);
      await new Promise((r) => setTimeout(r, 50));
      expect(parsed(client)).toEqual(wanted);
      client.close();
    }
    expect(clients[0]!.events.length).toBe(5);
    expect(clients[2]!.events.length).toBe(5);
  });

  it('resumes after Last-Event-ID with every missed event exactly once, including those captured while reconnecting', async () => {
    const { base } = running;
    const all = await SseClient.open(streamUrl(base));
    const first = await SseClient.open(streamUrl(base));
    await capture(base, [event(), event(), event()]);
    await first.waitForEvents(3);
    first.close();
    await first.ended;
    // Missed while disconnected.
    await capture(base, [event(), event()]);
    // Captured concurrently with the reconnection itself.
    const during = Promise.all([capture(base, [event()]), capture(base, [event(), event()])]);
    const second = await SseClient.open(streamUrl(base), { 'last-event-id': first.lastEventId! });
    await during;
    await capture(base, [event()]);
    await all.waitForEvents(9);
    await second.waitForEvents(6);
    await new Promise((r) => setTimeout(r, 50));
    second.close();
    all.close();
    expect([...eventIds(first), ...eventIds(second)]).toEqual(eventIds(all));
    expect([...first.ids(), ...second.ids()]).toEqual(all.ids());
  });

  it('resumes from ?lastEventId= too, and from the start id when no event had arrived yet', async () => {
    const { base } = running;
    const idle = await SseClient.open(streamUrl(base));
    idle.close();
    expect(idle.lastEventId).not.toBeNull();
    await capture(base, [event(), event()]);
    const resumed = await SseClient.open(streamUrl(base, { lastEventId: idle.lastEventId! }));
    const events = await resumed.waitForEvents(2);
    resumed.close();
    expect(events.map((e) => Number(e.id))).toEqual([
      Number(idle.lastEventId) + 1,
      Number(idle.lastEventId) + 2,
    ]);
  });

  it('delivers every event of many concurrent capture requests once to each of many subscribers', async () => {
    const { base } = running;
    const filters = Array.from({ length: 30 }, (_, i): Record<string, string> =>
      i % 3 === 0 ? { EQ_bizLocation: DOCK } : {},
    );
    const clients = await Promise.all(filters.map((f) => SseClient.open(streamUrl(base, f))));
    const requests = Array.from({ length: 40 }, (_, i) =>
      capture(base, [event(i % 2 === 0 ? { bizLocation: DOCK } : {}), event()]),
    );
    await Promise.all(requests);
    for (const [i, client] of clients.entries()) {
      const count = i % 3 === 0 ? 20 : 80;
      await client.waitForEvents(count);
      await new Promise((r) => setTimeout(r, 20));
      const ids = client.ids();
      expect(ids.length).toBe(count);
      expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
      client.close();
    }
    expect(eventIds(clients[1]!)).toEqual(eventIds(clients[2]!));
  });

  it('keeps serving other subscribers while one client does not read, and still gives that client everything', async () => {
    const { base } = running;
    const delivered = async () =>
      (await running.service.metrics.live.deliveredEvents.get()).values[0]?.value ?? 0;
    const slow = await SseClient.open(streamUrl(base));
    const fast = await Promise.all([SseClient.open(streamUrl(base)), SseClient.open(streamUrl(base))]);
    const deliveredBefore = await delivered();
    slow.pause();
    // Capture ~800 KB rounds until the socket buffers of the client that does not read are full and
    // the feed holds its batches back (hands it fewer events than the others), at most ~48 MB.
    let captured = 0;
    let heldBack = false;
    for (let round = 0; round < 60 && !heldBack; round++) {
      await capture(
        base,
        Array.from({ length: 100 }, () => event({}, 8000)),
      );
      captured += 100;
      for (const client of fast) await client.waitForEvents(captured, 60_000);
      heldBack = (await delivered()) - deliveredBefore < 3 * captured;
    }
    expect(heldBack).toBe(true);
    for (const client of fast) {
      expect(client.ids()).toHaveLength(captured);
      client.close();
    }
    expect(slow.events.length).toBeLessThan(captured);
    slow.resume();
    await slow.waitForEvents(captured, 60_000);
    await new Promise((r) => setTimeout(r, 50));
    slow.close();
    expect(slow.ids()).toEqual(fast[0]!.ids());
  });

  it('answers an event stream Accept header and HEAD, and still serves GET /events/{eventID}', async () => {
    const { base } = running;
    const client = await SseClient.open(streamUrl(base), { accept: 'text/event-stream' });
    expect(client.status).toBe(200);
    await capture(base, [event()]);
    const [received] = await client.waitForEvents(1);
    client.close();
    const id = (JSON.parse(received!.data) as { eventID: string }).eventID;
    const single = await fetch(`${base}/events/${encodeURIComponent(id)}`);
    expect(single.status).toBe(200);
    const head = await fetch(`${base}/events/stream`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('renders identifiers as captured under GS1-EPC-Format: Never_Translates', async () => {
    const { base } = running;
    const client = await SseClient.open(streamUrl(base), { 'gs1-epc-format': 'Never_Translates' });
    expect(client.headers['gs1-epc-format']).toBe('Never_Translates');
    await capture(base, [event()]);
    const [received] = await client.waitForEvents(1);
    client.close();
    expect((JSON.parse(received!.data) as { epcList: string[] }).epcList[0]).toMatch(/^urn:epc:id:sgtin:/);
  });

  it('refuses a Last-Event-ID that is not a non-negative integer with a problem naming it', async () => {
    const { base } = running;
    for (const [headers, params, field] of [
      [{ 'last-event-id': 'abc' }, {}, 'Last-Event-ID'],
      [{ 'last-event-id': '-3' }, {}, 'Last-Event-ID'],
      [{}, { lastEventId: '1.5' }, 'lastEventId'],
      [{ 'last-event-id': '999999999999' }, {}, 'Last-Event-ID'],
    ] as const) {
      const client = await SseClient.open(streamUrl(base, params), headers);
      expect(client.status).toBe(400);
      expect(client.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(await client.body) as { type: string; parameter: string; detail: string };
      expect(problem.type).toBe('epcisException:QueryParameterException');
      expect(problem.parameter).toBe(field);
      expect(problem.detail).toContain(field);
    }
  });

  it('refuses paging, ordering and unknown parameters, naming the parameter', async () => {
    const { base } = running;
    for (const [name, value] of [
      ['perPage', '10'],
      ['nextPageToken', 'abc'],
      ['orderBy', 'eventTime'],
      ['orderDirection', 'ASC'],
      ['eventCountLimit', '5'],
      ['maxEventCount', '5'],
      ['EQ_bizLokation', DOCK],
      ['eventType', 'NoSuchEvent'],
    ]) {
      const client = await SseClient.open(streamUrl(base, { [name!]: value! }));
      expect(client.status, name).toBe(400);
      const problem = JSON.parse(await client.body) as { type: string; parameter: string };
      expect(problem).toMatchObject({ type: 'epcisException:QueryParameterException', parameter: name });
    }
  });
});

describe('GET /events/stream at shutdown', () => {
  it('ends open streams, so closing the service is not held open by them', async () => {
    const { service, base } = await start();
    const clients = await Promise.all([SseClient.open(streamUrl(base)), SseClient.open(streamUrl(base))]);
    await capture(base, [event()]);
    await clients[0]!.waitForEvents(1);
    await service.close();
    await Promise.all(clients.map((c) => c.ended));
    expect(clients.every((c) => c.hasEnded)).toBe(true);
  });
});

describe('GET /events/stream with access control', () => {
  it('needs a token with the query scope, sent as Authorization: Bearer (how the console reads it with fetch)', async () => {
    const folder = await tempFolder();
    const written = await writeKeyFile(folder.path('api-keys.json'), [
      { id: 'dock-scanner', scopes: ['capture'], hash: 'sha256' },
      { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
    ]);
    const authenticator = await createAuthenticator({ apiKeyFile: written.file });
    const service = await buildServiceApp({ authenticator });
    try {
      const base = await service.app.listen({ port: 0, host: '127.0.0.1' });
      const anonymous = await SseClient.open(streamUrl(base));
      expect(anonymous.status).toBe(401);
      const capturer = await SseClient.open(streamUrl(base), {
        authorization: bearer(written.keys['dock-scanner']!),
      });
      expect(capturer.status).toBe(403);
      const dashboard = await SseClient.open(streamUrl(base), {
        authorization: bearer(written.keys['dashboard']!),
      });
      expect(dashboard.status).toBe(200);
      dashboard.close();
    } finally {
      await service.close();
      await folder.cleanup();
    }
  });
});
