// LIVE_MAX_STREAMS caps the live streams open at once, GET /events/stream and WebSocket
// subscriptions together: one more is refused with 503 problem+json and Retry-After (a WebSocket
// before its upgrade), and a slot is free again as soon as a stream ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildServiceApp, post, type ServiceApp } from '../../helpers/service-app.js';
import { SseClient } from '../../helpers/sse-client.js';

let service: ServiceApp;
let base: string;
beforeAll(async () => {
  service = await buildServiceApp({ config: { liveMaxStreams: 2 } });
  base = await service.app.listen({ port: 0, host: '127.0.0.1' });
  const created = await post(service.app, '/queries', { name: 'everything', query: {} });
  expect(created.statusCode, created.body).toBe(201);
});
afterAll(async () => {
  await service.close();
});

const wsUrl = () => `${base.replace('http', 'ws')}/queries/everything/events?stream=true`;

/** Opens a WebSocket subscription: the open socket, or the status of the refused upgrade. */
function openSocket(): Promise<
  { socket: WebSocket } | { status: number; headers: Record<string, unknown>; body: string }
> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl());
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    socket.once('error', reject);
  });
}

async function rejected(): Promise<number> {
  const text = await service.metrics.registry.getSingleMetricAsString(
    'edgetrace_live_streams_rejected_total',
  );
  return text
    .split('\n')
    .filter((line) => line.startsWith('edgetrace_live_streams_rejected_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('LIVE_MAX_STREAMS', () => {
  it('refuses a stream over the cap with 503 problem+json and Retry-After, for SSE and WebSocket alike', async () => {
    const first = await SseClient.open(`${base}/events/stream`);
    const second = await openSocket();
    expect(first.status).toBe(200);
    expect('socket' in second).toBe(true);

    const overSse = await SseClient.open(`${base}/events/stream`);
    const overWs = await openSocket();

    expect(overSse.status).toBe(503);
    expect(overSse.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(overSse.headers['retry-after']).toBe('5');
    expect(JSON.parse(await overSse.body)).toMatchObject({
      type: 'epcisException:ServiceUnavailableException',
      status: 503,
      detail: expect.stringMatching(/LIVE_MAX_STREAMS/),
    });
    expect(overWs).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    expect(await rejected()).toBe(2);

    first.close();
    if ('socket' in second) second.socket.close();
    await until(async () => (await SseClient.open(`${base}/events/stream`)).status === 200, 'a slot is free');
  });
});
