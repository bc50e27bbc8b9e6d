// One delivery attempt against real loopback receivers: it connects only where the destination
// policy allows, asks for no content encoding, and says why it failed in words that reveal nothing
// about the network ("refused by policy", "unreachable", "timed out", "HTTP <status>").
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DestinationPolicy } from '../../../host/queries/destination-policy.js';
import { type DeliveryRequest, postDelivery } from '../../../host/queries/webhook-delivery.js';
import { freePort } from '../../helpers/free-port.js';

interface Receiver {
  port: number;
  requests: IncomingHttpHeaders[];
  connections: number;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
});

/** A receiver on 127.0.0.1 answering every request with `status` (never, when null). */
async function receiver(status: number | null): Promise<Receiver> {
  const seen: Receiver = { port: 0, requests: [], connections: 0 };
  const server = createServer((request, response) => {
    seen.requests.push(request.headers);
    request.resume();
    if (status !== null) request.on('end', () => response.writeHead(status).end('thanks'));
  });
  server.on('connection', () => (seen.connections += 1));
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  seen.port = (server.address() as AddressInfo).port;
  return seen;
}

const loopbackAllowed = new DestinationPolicy(['127.0.0.1']);

function attempt(
  dest: string,
  destinations: DestinationPolicy,
  timeoutMs = 2000,
): ReturnType<typeof postDelivery> {
  const request: DeliveryRequest = {
    dest,
    body: Buffer.from('{"type":"EPCISQueryDocument"}'),
    signatureToken: null,
    timeoutMs,
    signal: new AbortController().signal,
    destinations,
  };
  return postDelivery(request);
}

describe('webhook delivery attempt', () => {
  it('refuses a loopback dest by policy without connecting, and delivers once it is allow-listed', async () => {
    const target = await receiver(204);
    const dest = `http://127.0.0.1:${target.port}/hook`;

    expect(await attempt(dest, new DestinationPolicy([]))).toEqual({
      ok: false,
      reason: 'refused by policy',
    });
    expect(target.connections).toBe(0);
    expect(await attempt(dest, loopbackAllowed)).toEqual({ ok: true, status: 204 });
  });

  it('refuses a name that resolves to loopback at connect time, without connecting', async () => {
    const target = await receiver(204);
    const rebinding = new DestinationPolicy([], {
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    });

    const outcome = await attempt(`http://rebind.example:${target.port}/hook`, rebinding);

    expect(outcome).toEqual({ ok: false, reason: 'refused by policy' });
    expect(target.connections).toBe(0);
  });

  it('connects a name to the address its lookup checked, asking for no content encoding', async () => {
    const target = await receiver(200);
    const resolved = new DestinationPolicy(['127.0.0.1'], {
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    });

    const outcome = await attempt(`http://partner.example:${target.port}/hook`, resolved);

    expect(outcome).toEqual({ ok: true, status: 200 });
    expect(target.requests[0]).toMatchObject({
      host: `partner.example:${target.port}`,
      'accept-encoding': 'identity',
    });
  });

  it('reports a refused connection as "unreachable", naming no address or port', async () => {
    const port = await freePort();

    expect(await attempt(`http://127.0.0.1:${port}/hook`, loopbackAllowed)).toEqual({
      ok: false,
      reason: 'unreachable',
    });
  });

  it('reports an error answer by its status only', async () => {
    const target = await receiver(503);

    expect(await attempt(`http://127.0.0.1:${target.port}/hook`, loopbackAllowed)).toEqual({
      ok: false,
      reason: 'HTTP 503',
    });
  });

  it('gives up on a receiver that never answers at the deadline and says "timed out"', async () => {
    const target = await receiver(null);

    expect(await attempt(`http://127.0.0.1:${target.port}/hook`, loopbackAllowed, 200)).toEqual({
      ok: false,
      reason: 'timed out',
    });
  });
});
