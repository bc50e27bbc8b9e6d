// What a client meets at the edges of HTTP itself, on a real socket: requests that arrive too
// slowly, heads too large to read, bytes that are not HTTP, and Connection: Upgrade on routes
// that are not WebSocket routes. Every refusal is problem+json, and a keep-alive connection
// stays usable wherever the request could be answered.
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { KeepAliveReader } from '../../helpers/keep-alive-reader.js';
import { buildServiceApp, post, type ServiceApp } from '../../helpers/service-app.js';
import { openSocket, readResponse, write } from '../../integration/service/support/raw-http.js';

const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const MAX_URL_LENGTH = 512;

let service: ServiceApp;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  service = await buildServiceApp({
    config: {
      httpHeadersTimeoutMs: HEADERS_TIMEOUT_MS,
      httpRequestTimeoutMs: REQUEST_TIMEOUT_MS,
      maxUrlLength: MAX_URL_LENGTH,
    },
  });
  port = Number(new URL(await service.app.listen({ port: 0, host: '127.0.0.1' })).port);
  expect((await post(service.app, '/queries', { name: 'everything', query: {} })).statusCode).toBe(201);
});
afterAll(() => service.close());
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

async function connect(): Promise<Socket> {
  const socket = await openSocket(port);
  sockets.push(socket);
  return socket;
}

const head = (requestLine: string, headers: string[] = []) =>
  [requestLine, `Host: 127.0.0.1:${port}`, ...headers, '', ''].join('\r\n');

/** Sends `data` and reads the one response the server sends before closing the connection. */
async function answerThenClose(data: string, timeoutMs = 5000) {
  const socket = await connect();
  const response = readResponse(socket, timeoutMs);
  await write(socket, data);
  return response;
}

function expectRawProblem(
  response: { status: number; head: string; body: string },
  status: number,
  type: string,
) {
  expect(response.status, response.head).toBe(status);
  expect(response.head).toMatch(/^Content-Type: application\/problem\+json$/im);
  expect(response.head).toMatch(/^GS1-EPCIS-Version: 2\.0\.0$/im);
  expect(JSON.parse(response.body)).toMatchObject({ type: `epcisException:${type}`, status });
}

describe('requests that arrive too slowly', () => {
  it('answers a POST whose announced body never arrives with 408 problem+json and closes', async () => {
    const request = head('POST /capture HTTP/1.1', [
      'Content-Type: application/ld+json',
      'Content-Length: 100',
    ]);

    expectRawProblem(await answerThenClose(`${request}{"type":`), 408, 'RequestTimeoutException');
  });

  it('answers a body trickled in slower than HTTP_REQUEST_TIMEOUT with 408 problem+json', async () => {
    const socket = await connect();
    const response = readResponse(socket, 5000);
    await write(
      socket,
      head('POST /capture HTTP/1.1', ['Content-Type: application/ld+json', 'Content-Length: 1000']),
    );
    // One byte every 100 ms: never idle long, but the whole body would take 100 s.
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    try {
      expectRawProblem(await response, 408, 'RequestTimeoutException');
    } finally {
      clearInterval(trickle);
    }
  });

  it('answers a client that never finishes its headers with 408, but keeps idle keep-alive connections', async () => {
    const idle = await connect();
    const reader = new KeepAliveReader(idle);
    await write(idle, head('GET /health HTTP/1.1'));
    expect((await reader.next()).status).toBe(200);

    expectRawProblem(
      await answerThenClose(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`),
      408,
      'RequestTimeoutException',
    );

    // The idle connection has now waited longer than HTTP_HEADERS_TIMEOUT: it must still serve.
    await write(idle, head('GET /ready HTTP/1.1'));
    expect((await reader.next()).status).toBe(200);
  });
});

describe('request heads that cannot be read', () => {
  it('answers a URL longer than the whole head limit with 414 problem+json', async () => {
    const url = `/events?EQ_bizStep=${'x'.repeat(40_000)}`;

    expectRawProblem(await answerThenClose(head(`GET ${url} HTTP/1.1`)), 414, 'URITooLongException');
  });

  it('answers headers larger than the head limit with 431 problem+json', async () => {
    const request = head('GET /health HTTP/1.1', [`X-Padding: ${'x'.repeat(40_000)}`]);

    expectRawProblem(await answerThenClose(request), 431, 'HeadersTooLargeException');
  });

  it('answers bytes that are not an HTTP request with 400 problem+json', async () => {
    expectRawProblem(await answerThenClose('G@T / HTTP/1.1\r\n\r\n'), 400, 'ValidationException');
  });
});

describe('Connection: Upgrade on a route that is not a WebSocket route', () => {
  it.each(['/health', '/events', '/queries', '/queries/everything'])(
    'answers GET %s sent with Upgrade: websocket and keeps the connection for the next request',
    async (path) => {
      const socket = await connect();
      const reader = new KeepAliveReader(socket);
      await write(
        socket,
        head(`GET ${path} HTTP/1.1`, [
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ]),
      );
      expect((await reader.next()).status).toBe(200);

      await write(socket, head('GET /ready HTTP/1.1'));

      expect((await reader.next()).status).toBe(200);
      expect(reader.isClosed).toBe(false);
    },
  );

  it('answers requests pipelined around an upgrade request, all of them and in order', async () => {
    const socket = await connect();
    const reader = new KeepAliveReader(socket);
    const upgrade = ['Connection: Upgrade', 'Upgrade: websocket'];

    await write(
      socket,
      head('GET /events HTTP/1.1') +
        head('GET /capture HTTP/1.1', upgrade) +
        head('GET /epcs HTTP/1.1', upgrade) +
        head('GET /ready HTTP/1.1'),
    );

    const answers = [await reader.next(), await reader.next(), await reader.next(), await reader.next()];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(answers[3]!.body)).toMatchObject({ ready: true });
  });

  it('reads the body of a POST /capture that asks for an upgrade and captures it', async () => {
    const socket = await connect();
    const reader = new KeepAliveReader(socket);
    const body = JSON.stringify(epcisDocument([objectEvent('2024-05-01T10:00:00Z', 'OBSERVE', [sgtin(41)])]));
    await write(
      socket,
      head('POST /capture HTTP/1.1', [
        'Connection: keep-alive, Upgrade',
        'Upgrade: h2c',
        'Content-Type: application/ld+json',
        `Content-Length: ${Buffer.byteLength(body)}`,
      ]) + body,
    );

    expect((await reader.next()).status).toBe(202);
    await write(socket, head('GET /ready HTTP/1.1'));
    expect((await reader.next()).status).toBe(200);
  });

  it("answers a handshake on a plain route over HTTP while a named query's stream still upgrades", async () => {
    const plain = await connect();
    const reader = new KeepAliveReader(plain);
    await write(
      plain,
      head('GET /queries/everything HTTP/1.1', ['Connection: Upgrade', 'Upgrade: websocket']),
    );
    expect((await reader.next()).status).toBe(200);

    const socket = new WebSocket(`ws://127.0.0.1:${port}/queries/everything/events?stream=true`);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
        socket.once('unexpected-response', (_request, response) =>
          reject(new Error(`upgrade refused with ${response.statusCode}`)),
        );
      });
    } finally {
      socket.terminate();
    }
    await write(plain, head('GET /ready HTTP/1.1'));
    expect((await reader.next()).status).toBe(200);
  });
});
