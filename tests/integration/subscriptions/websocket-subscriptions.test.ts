// WebSocket subscriptions on GET /queries/{name}/events?stream=true with Upgrade (OpenAPI 101): each
// matching event from initialRecordTime on arrives once, as one JSON text message rendered like GET
// /events; deleting the named query closes the socket with a code and a reason.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { epcisDocument, type EpcisEvent, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, eventList, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { waitFor } from './support/webhook-receiver.js';

let service: ServiceApp;
let origin: string;

beforeAll(async () => {
  service = await buildServiceApp();
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `ws://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await service.close();
});

let serial = 50_000;
async function capture(bizSteps: string[]): Promise<string[]> {
  const events: EpcisEvent[] = bizSteps.map((bizStep) => ({
    ...objectEvent('2026-04-01T08:00:00Z', 'ADD', [sgtin(++serial)], { bizStep }),
    eventID: `urn:uuid:11111111-0000-4000-8000-${String(serial).padStart(12, '0')}`,
  }));
  const response = await post(service.app, '/capture', epcisDocument(events));
  expect(response.statusCode, response.body).toBe(202);
  return events.filter((e) => e['bizStep'] === 'commissioning').map((e) => String(e['eventID']));
}

interface OpenSocket {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  headers: Record<string, string | string[] | undefined>;
  closed: Promise<{ code: number; reason: string }>;
}

async function open(path: string): Promise<OpenSocket> {
  const socket = new WebSocket(`${origin}${path}`);
  const messages: Record<string, unknown>[] = [];
  let headers: OpenSocket['headers'] = {};
  socket.on('upgrade', (response) => (headers = response.headers));
  socket.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages, headers, closed };
}

describe('WebSocket subscription', () => {
  it('sends each matching event once from initialRecordTime, like GET /events renders it', async () => {
    expect(
      (
        await post(service.app, '/queries', {
          name: 'commissioned',
          query: { EQ_bizStep: ['commissioning'] },
        })
      ).statusCode,
    ).toBe(201);
    await capture(['commissioning']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const expected = await capture(['commissioning', 'shipping', 'commissioning']);

    const client = await open(
      `/queries/commissioned/events?stream=true&initialRecordTime=${encodeURIComponent(since)}`,
    );
    expect(client.headers['gs1-query-min-record-time']).toBe(since);
    await waitFor('the events since initialRecordTime', () => client.messages.length >= 2);
    expected.push(...(await capture(['shipping', 'commissioning'])));
    await waitFor('the new event', () => client.messages.length >= expected.length);

    expect(client.messages.map((m) => m['eventID'])).toEqual(expected);
    const rendered = eventList(
      await get(service.app, `/events?EQ_eventID=${encodeURIComponent(expected[0]!)}`),
    )[0];
    expect(client.messages[0]).toEqual(rendered);
    client.socket.close();
  });

  it('closes the socket with 1000 and a reason when the named query is deleted', async () => {
    await post(service.app, '/queries', { name: 'shortLived', query: { EQ_bizStep: ['commissioning'] } });
    const client = await open('/queries/shortLived/events?stream=true');

    expect((await service.app.inject({ method: 'DELETE', url: '/queries/shortLived' })).statusCode).toBe(204);

    expect(await client.closed).toEqual({ code: 1000, reason: expect.stringMatching(/shortLived.*deleted/) });
  });

  it.each([
    ['an unknown query', '/queries/noSuchQuery/events?stream=true', 404],
    ['a schedule instead of stream', '/queries/commissioned/events?second=0', 400],
    ['a bad initialRecordTime', '/queries/commissioned/events?stream=true&initialRecordTime=yesterday', 400],
  ])('refuses the upgrade for %s with an HTTP error', async (_case, path, status) => {
    const socket = new WebSocket(`${origin}${path}`);
    socket.on('error', () => undefined);
    const refused = await new Promise<number>((resolve) =>
      // With this listener the client owns the refused request and ends it itself.
      socket.on('unexpected-response', (request, response) => {
        request.destroy();
        resolve(response.statusCode ?? 0);
      }),
    );

    expect(refused).toBe(status);
  });
});
