// tracker-server.wasm's HTTP/1.1 layer under Debian's WasmEdge, AOT-compiled: what it answers
// natively equals the Node service's answer (the in-process app as the reference), and the wire
// protocol holds up to keep-alive, pipelining, chunked bodies and requests that break its limits.
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeepAliveReader, type WireResponse } from '../../helpers/keep-alive-reader.js';
import { seeded } from '../../helpers/seeded-random.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { WasmEdgeServer, stopAll } from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;
let node: ServiceApp;

beforeAll(async () => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
  node = await buildServiceApp();
});
afterEach(stopAll);
afterAll(async () => node.close());

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

async function open(server: WasmEdgeServer): Promise<{ socket: Socket; reader: KeepAliveReader }> {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  const reader = new KeepAliveReader(socket);
  await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
  return { socket, reader };
}

/** The headers both hosts must agree on (Date, Connection and Keep-Alive are per connection). */
function comparable(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (['date', 'connection', 'keep-alive'].includes(lower)) continue;
    kept[lower] = String(value);
  }
  return kept;
}

const startServer = () => WasmEdgeServer.start({ runtime: wasmedge, module });

describe('tracker-server.wasm answers like the Node service', () => {
  const cases: Array<{
    name: string;
    method: 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'DELETE';
    headers?: Record<string, string>;
  }> = [
    { name: 'GET /health', method: 'GET' },
    { name: 'HEAD /health (headers of GET, no body)', method: 'HEAD' },
    { name: 'OPTIONS /health (204 with Allow)', method: 'OPTIONS' },
    { name: 'POST /health (405 with Allow)', method: 'POST' },
    { name: 'DELETE /health (405 with Allow)', method: 'DELETE' },
    { name: 'GET /health with Accept: text/html (406)', method: 'GET', headers: { accept: 'text/html' } },
  ];
  for (const { name, method, headers = {} } of cases) {
    it(`gives the same status, headers and body for ${name}`, async () => {
      const server = await startServer();
      const expected = await node.app.inject({ method, url: '/health', headers });
      const { socket, reader } = await open(server);
      const head = Object.entries({ host: 'localhost', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
      socket.write(`${method} /health HTTP/1.1\r\n${head.join('')}\r\n`);
      const actual = method === 'HEAD' ? await headOnly(reader) : await reader.next();
      expect(actual.status).toBe(expected.statusCode);
      expect(comparable(actual.headers)).toEqual(comparable(expected.headers));
      expect(actual.body).toBe(expected.body);
      expect(actual.headers['connection']).toBe('keep-alive');
      expect(actual.headers['date']).toBe(new Date(Date.parse(actual.headers['date'] ?? '')).toUTCString());
      expect(Math.abs(Date.parse(actual.headers['date'] ?? '') - Date.now())).toBeLessThan(60_000);
    });
  }

  it('answers a route it does not serve with 503 problem+json naming the sidecar while none is reachable', async () => {
    const server = await startServer();
    const response = await fetch(`${server.baseUrl}/events?perPage=1`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual({
      type: 'epcisException:ServiceUnavailableException',
      title: 'Service Unavailable',
      status: 503,
      detail:
        'GET /events is answered by the sidecar (the Node service), which is not connected to this server',
    });
  });
});

describe('tracker-server.wasm HTTP/1.1', () => {
  it('answers pipelined requests on one keep-alive connection, in order', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    const methods = ['GET', 'OPTIONS', 'POST', 'GET', 'HEAD', 'GET'];
    socket.write(methods.map((m) => `${m} /health HTTP/1.1\r\nHost: localhost\r\n\r\n`).join(''));
    const statuses: number[] = [];
    for (let i = 0; i < methods.length; i++) {
      // HEAD announces a Content-Length without a body: read only its head.
      statuses.push((methods[i] === 'HEAD' ? await headOnly(reader) : await reader.next()).status);
    }
    expect(statuses).toEqual([200, 204, 405, 200, 200, 200]);
    expect(reader.isClosed).toBe(false);
  });

  it('reads a chunked body that arrives a few bytes at a time, then serves the next request', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    const request =
      'POST /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;ext=1\r\nhello\r\n1A\r\n' +
      'abcdefghijklmnopqrstuvwxyz' +
      '\r\n0\r\nX-Trailer: 1\r\n\r\n' +
      'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n';
    for (let i = 0; i < request.length; i += 7) {
      socket.write(request.slice(i, i + 7));
      await new Promise((done) => setTimeout(done, 2));
    }
    expect((await reader.next()).status).toBe(405);
    const next = await reader.next();
    expect(next.status).toBe(200);
    expect(next.body).toBe('{"status":"alive"}');
  });

  it('gives the same answers to a pipelined stream however the network splits it', async () => {
    const server = await startServer();
    const requests = [
      ['GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n', 200],
      ['POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world', 405],
      ['OPTIONS /health HTTP/1.1\r\nHost: localhost\r\n\r\n', 204],
      ['POST /x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 503],
      ['\r\nGET /health?a=1 HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n', 200],
      ['GET /health HTTP/1.1\r\nHost: localhost\r\nAccept: image/png\r\n\r\n', 406],
    ] as const;
    const stream = Buffer.from(
      requests
        .map(([raw]) => raw)
        .join('')
        .repeat(5),
    );
    const expected = Array.from({ length: 5 }, () => requests.map(([, status]) => status)).flat();
    for (const seed of [1, 2, 3]) {
      const random = seeded(seed);
      const { socket, reader } = await open(server);
      for (let at = 0; at < stream.length;) {
        const size = 1 + Math.floor(random() * 40);
        socket.write(stream.subarray(at, at + size));
        at += size;
        if (random() < 0.2) await new Promise((done) => setTimeout(done, 1));
      }
      const statuses: number[] = [];
      for (let i = 0; i < expected.length; i++) statuses.push((await reader.next()).status);
      expect(statuses).toEqual(expected);
    }
  });

  it('reads a Content-Length body and keeps the connection for the next request', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    const body = 'x'.repeat(100_000);
    socket.write(`POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect((await reader.next()).status).toBe(405);
    expect((await reader.next()).status).toBe(200);
  });

  it('refuses headers larger than the head limit with 431 problem+json and closes the connection', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    socket.write(`GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(30_000)}\r\n\r\n`);
    const response = await reader.next();
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toEqual({
      type: 'epcisException:HeadersTooLargeException',
      title: 'Request Header Fields Too Large',
      status: 431,
      detail: 'the request line and headers together are larger than 24576 bytes',
    });
    await waitClosed(reader);
  });

  it('refuses a URL longer than MAX_URL_LENGTH with 414 as the Node service does', async () => {
    const server = await startServer();
    const url = `/health?${'q'.repeat(9000)}`;
    const expected = await node.app.inject({ method: 'GET', url });
    const response = await fetch(`${server.baseUrl}${url}`);
    expect(response.status).toBe(414);
    expect(await response.text()).toBe(expected.body);
  });

  it('refuses a body over the capture size limit with 413 before reading it', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    socket.write('POST /capture HTTP/1.1\r\nHost: localhost\r\nContent-Length: 16777217\r\n\r\n');
    const response = await reader.next();
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'epcisException:CaptureLimitExceededException',
      detail: 'the request body is larger than 16777216 bytes (GS1-EPCIS-Capture-File-Size-Limit)',
    });
    await waitClosed(reader);
  });

  it('refuses a chunked body that grows past the capture size limit with 413', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    socket.write('POST /capture HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n');
    socket.write(`1000001\r\n`);
    const response = await reader.next();
    expect(response.status).toBe(413);
    await waitClosed(reader);
  });

  const malformedCases: Array<[string, string, string]> = [
    [
      'Content-Length together with Transfer-Encoding (request smuggling)',
      'POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'HPE_UNEXPECTED_CONTENT_LENGTH',
    ],
    [
      'two different Content-Lengths',
      'POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'HPE_UNEXPECTED_CONTENT_LENGTH',
    ],
    [
      'a folded header line',
      'GET /health HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n continued\r\n\r\n',
      'HPE_INVALID_HEADER_TOKEN',
    ],
    [
      'a space in the header name',
      'GET /health HTTP/1.1\r\nHost: localhost\r\nX A: 1\r\n\r\n',
      'HPE_INVALID_HEADER_TOKEN',
    ],
    ['an unknown HTTP version', 'GET /health HTTP/2.0\r\nHost: localhost\r\n\r\n', 'HPE_INVALID_VERSION'],
    [
      'a bad chunk size',
      'POST /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HPE_INVALID_CHUNK_SIZE',
    ],
  ];
  for (const [name, raw, code] of malformedCases) {
    it(`refuses ${name} with 400 problem+json and closes`, async () => {
      const server = await startServer();
      const { socket, reader } = await open(server);
      socket.write(raw);
      const response = await reader.next();
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        type: 'epcisException:ValidationException',
        title: 'Bad Request',
        status: 400,
        detail: `the request is not valid HTTP/1.1 (${code})`,
      });
      await waitClosed(reader);
    });
  }

  it('closes after answering a request that asks for Connection: close', async () => {
    const server = await startServer();
    const { socket, reader } = await open(server);
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const response = await reader.next();
    expect(response.headers['connection']).toBe('close');
    await waitClosed(reader);
  });
});

/** A HEAD answer: its Content-Length describes the GET body, which is not sent, so the head alone. */
async function headOnly(reader: KeepAliveReader): Promise<WireResponse> {
  const internal = reader as unknown as { buffered: Buffer };
  for (let i = 0; i < 250 && internal.buffered.indexOf('\r\n\r\n') < 0; i++) {
    await new Promise((done) => setTimeout(done, 20));
  }
  const end = internal.buffered.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no answer to HEAD within 5 s');
  const [statusLine = '', ...lines] = internal.buffered.subarray(0, end).toString('latin1').split('\r\n');
  internal.buffered = internal.buffered.subarray(end + 4);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]), headers, body: '' };
}

async function waitClosed(reader: KeepAliveReader): Promise<void> {
  for (let i = 0; i < 150 && !reader.isClosed; i++) await new Promise((done) => setTimeout(done, 20));
  expect(reader.isClosed).toBe(true);
}
