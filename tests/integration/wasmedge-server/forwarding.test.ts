// tracker-server.wasm forwards every route it does not serve to the sidecar (the real Node service,
// started from dist/ as a child process on its own port): clients see one complete API on the
// server's port, answered exactly as the Node service answers it directly.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { KeepAliveReader } from '../../helpers/keep-alive-reader.js';
import {
  ServiceGroup,
  type ServiceProcess,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { WasmEdgeServer, freePort, stopAll } from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;
const group = new ServiceGroup();
const dirs: TempDir[] = [];
const sockets: Socket[] = [];
let echo: Server | null = null;

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  echo?.closeAllConnections();
  echo?.close();
  echo = null;
  await stopAll();
  await group.killAll();
  for (const dir of dirs.splice(0)) dir.remove();
});

/** The Node service on `port` (fixed, so a restart is found at the same address). */
async function startSidecar(
  port: number,
  env: Record<string, string> = {},
  dir?: TempDir,
): Promise<ServiceProcess> {
  const data = dir ?? tempDataDir('edgetrace-forwarding-');
  if (dir === undefined) dirs.push(data);
  return group.start({ dataDir: data.dir, env: { PORT: String(port), ...env } });
}

async function pair(
  env: Record<string, string> = {},
): Promise<{ node: ServiceProcess; server: WasmEdgeServer }> {
  const sidecarPort = await freePort();
  const node = await startSidecar(sidecarPort, env);
  const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort });
  return { node, server };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Status, headers (without the per-connection Date, Connection, Keep-Alive) and body, whose
 * `creationDate` (the time the answer was written) is blanked: two asks are never the same ms.
 */
async function ask(baseUrl: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(baseUrl + path, { signal: AbortSignal.timeout(15_000), ...init });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
  });
  const body = (await response.text()).replace(/"creationDate":"[^"]*"/g, '"creationDate":"…"');
  return { status: response.status, headers, body };
}

function objectEvents(count: number): string {
  const eventList = Array.from({ length: count }, (_, i) => ({
    type: 'ObjectEvent',
    eventTime: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
    eventTimeZoneOffset: '+00:00',
    epcList: [`urn:epc:id:sgtin:0614141.107346.${1000 + i}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
  }));
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-01-01T00:00:00.000Z',
    epcisBody: { eventList },
  });
}

/** Captures on the Node service directly and waits until its job has stored the events. */
async function captureOnNode(node: ServiceProcess, document: string): Promise<void> {
  const accepted = await fetch(node.url('/capture'), {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: document,
  });
  expect(accepted.status).toBe(202);
  const location = accepted.headers.get('location') ?? '';
  for (let i = 0; i < 200; i++) {
    const job = (await (await fetch(node.url(location))).json()) as { running?: boolean; success?: boolean };
    if (job.running === false) {
      expect(job.success).toBe(true);
      return;
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the capture job did not finish');
}

async function open(port: number): Promise<{ socket: Socket; reader: KeepAliveReader }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const reader = new KeepAliveReader(socket);
  await once(socket, 'connect');
  return { socket, reader };
}

describe('routes the server does not serve are answered by the sidecar through it', () => {
  it('answers GET /events, GET / and a named query exactly as the Node service does', async () => {
    const { node, server } = await pair();
    await captureOnNode(node, objectEvents(3));
    for (const path of ['/events', '/']) {
      expect(await ask(server.baseUrl, path), path).toEqual(await ask(node.baseUrl, path));
    }
    const head = { method: 'HEAD' };
    expect(await ask(server.baseUrl, '/events', head)).toEqual(await ask(node.baseUrl, '/events', head));
    // A page token carries its expiry time: equal apart from it, and the server's link is followed on both.
    const firstPage = await ask(server.baseUrl, '/events?perPage=2');
    const link = /^<([^>]+)>; rel="next"$/.exec(firstPage.headers['link'] ?? '')?.[1] ?? '';
    expect(link).toContain('nextPageToken=');
    expect(await ask(server.baseUrl, link)).toEqual(await ask(node.baseUrl, link));
    const definition = JSON.stringify({ name: 'shipped', query: { eventType: ['ObjectEvent'] } });
    const created = await ask(server.baseUrl, '/queries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: definition,
    });
    expect(created.status).toBe(201);
    const again = await ask(node.baseUrl, '/queries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: definition,
    });
    expect(again.status).toBe(409);
    expect(await ask(server.baseUrl, '/queries/shipped')).toEqual(
      await ask(node.baseUrl, '/queries/shipped'),
    );
    expect(await ask(server.baseUrl, '/queries/shipped/events')).toEqual(
      await ask(node.baseUrl, '/queries/shipped/events'),
    );
  });

  it('passes the Authorization header on: the sidecar answers its 401 and accepts a valid key', async () => {
    const data = tempDataDir('edgetrace-forwarding-keys-');
    dirs.push(data);
    const made = await createApiKey({ id: 'dock-scanner', scopes: ['capture', 'query'] });
    const keyFile = join(data.dir, 'api-keys.json');
    writeFileSync(keyFile, JSON.stringify({ keys: [made.entry] }));
    const sidecarPort = await freePort();
    const node = await startSidecar(sidecarPort, { API_KEYS_FILE: keyFile }, data);
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort });
    const refused = await ask(server.baseUrl, '/events');
    expect(refused.status).toBe(401);
    expect(refused).toEqual(await ask(node.baseUrl, '/events'));
    const wrong = { headers: { authorization: `Bearer ${made.key}x` } };
    expect(await ask(server.baseUrl, '/events', wrong)).toEqual(await ask(node.baseUrl, '/events', wrong));
    const right = { headers: { authorization: `Bearer ${made.key}` } };
    const allowed = await ask(server.baseUrl, '/events', right);
    expect(allowed.status).toBe(200);
    expect(allowed).toEqual(await ask(node.baseUrl, '/events', right));
  });

  it('relays a large answer (1,000 events) byte for byte', async () => {
    const { node, server } = await pair();
    await captureOnNode(node, objectEvents(1000));
    const path = '/events?perPage=1000';
    const through = await ask(server.baseUrl, path);
    expect(through.status).toBe(200);
    expect(through.body.length).toBeGreaterThan(300_000);
    expect(through).toEqual(await ask(node.baseUrl, path));
  });

  it('gives a client that reads late every large pipelined answer whole and in order', async () => {
    const { node, server } = await pair();
    await captureOnNode(node, objectEvents(1000));
    const expected = await ask(node.baseUrl, '/events?perPage=1000');
    const { socket, reader } = await open(server.port);
    socket.pause();
    const request = 'GET /events?perPage=1000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    socket.write(request.repeat(8));
    // Eight answers of ~400 KB wait behind a reader that takes nothing: the server holds back.
    await new Promise((done) => setTimeout(done, 1000));
    socket.resume();
    for (let i = 0; i < 8; i++) {
      const answer = await reader.next(15_000);
      expect(answer.status).toBe(200);
      expect(answer.body.replace(/"creationDate":"[^"]*"/, '"creationDate":"…"')).toBe(expected.body);
    }
    expect((await ask(server.baseUrl, '/health')).status).toBe(200);
  });

  it('forwards a chunked request body as the Node service takes it', async () => {
    const { node, server } = await pair();
    const chunkedPost = (baseUrl: string, name: string): Promise<Answer> => {
      const parts = [`{"name":"${name}",`, '"query":{"eventType":', '["ObjectEvent"]}}'];
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      });
      return ask(baseUrl, '/queries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
    };
    // Same-length names: the answers then differ in the name only.
    const through = await chunkedPost(server.baseUrl, 'viaServer');
    const direct = await chunkedPost(node.baseUrl, 'viaNodeJs');
    expect(through.status).toBe(201);
    const renamed = JSON.parse(JSON.stringify(through).replaceAll('viaServer', 'viaNodeJs')) as Answer;
    expect(renamed).toEqual(direct);
  });

  it('answers pipelined native and forwarded requests in request order', async () => {
    const { server } = await pair();
    const { socket, reader } = await open(server.port);
    const paths = [
      '/health',
      '/events',
      '/health',
      '/queries',
      '/epcs/urn:epc:id:sgtin:0614141.107346.1/state',
      '/',
    ];
    socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`).join(''));
    const answers = [];
    for (let i = 0; i < paths.length; i++) answers.push(await reader.next(10_000));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 404, 200]);
    expect(JSON.parse(answers[0]!.body)).toEqual({ status: 'alive' });
    expect(JSON.parse(answers[1]!.body)).toMatchObject({ type: 'EPCISQueryDocument' });
    expect(JSON.parse(answers[2]!.body)).toEqual({ status: 'alive' });
    expect(Array.isArray(JSON.parse(answers[3]!.body))).toBe(true);
    expect(answers[4]!.headers['content-type']).toContain('problem+json');
    expect(reader.isClosed).toBe(false);
  });

  it('answers 503 while the sidecar is down, keeps native routes serving, and forwards again after it restarts', async () => {
    const sidecarPort = await freePort();
    const data = tempDataDir('edgetrace-forwarding-restart-');
    dirs.push(data);
    const node = await startSidecar(sidecarPort, {}, data);
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort });
    expect((await ask(server.baseUrl, '/events')).status).toBe(200);
    await node.kill();
    const down = await ask(server.baseUrl, '/events');
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(down.body)).toMatchObject({
      type: 'epcisException:ServiceUnavailableException',
      status: 503,
      detail:
        'GET /events is answered by the sidecar (the Node service), which is not connected to this server',
    });
    expect((await ask(server.baseUrl, '/health')).status).toBe(200);
    await startSidecar(sidecarPort, {}, data);
    const back = await ask(server.baseUrl, '/events');
    expect(back.status).toBe(200);
  });

  it('refuses an event stream with 501 naming the sidecar port to open it on', async () => {
    const { server } = await pair();
    const refused = await ask(server.baseUrl, '/events/stream', { headers: { accept: 'text/event-stream' } });
    expect(refused.status).toBe(501);
    expect(JSON.parse(refused.body).detail).toContain('open it on the sidecar, 127.0.0.1:');
  });
});

describe('a sidecar that does not answer', () => {
  it('gets a 504 problem+json after 30 s while native routes keep answering', async () => {
    const silent = createServer(() => undefined);
    echo = silent;
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort: address.port });
    const started = Date.now();
    const waiting = ask(server.baseUrl, '/events', { signal: AbortSignal.timeout(45_000) });
    expect((await ask(server.baseUrl, '/health')).status).toBe(200);
    const timedOut = await waiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    expect(timedOut.status).toBe(504);
    expect(timedOut.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(timedOut.body).detail).toBe(
      'GET /events: the sidecar (the Node service) did not answer within 30000 ms',
    );
  }, 50_000);
});

describe('Edgetrace-Journal-Seq', () => {
  it('reaches the sidecar with the seq of the last journalled event, replacing one a client sent', async () => {
    const seen: IncomingHttpHeaders[] = [];
    echo = createServer((request, response) => {
      seen.push(request.headers);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(request.headers));
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const address = echo.address();
    if (address === null || typeof address === 'string') throw new Error('no echo port');
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort: address.port });
    const first = await ask(server.baseUrl, '/events', {
      headers: { authorization: 'Bearer et_x', 'edgetrace-journal-seq': '999' },
    });
    expect(first.status).toBe(200);
    expect(seen[0]).toMatchObject({ 'edgetrace-journal-seq': '0', authorization: 'Bearer et_x' });
    const captured = await fetch(server.baseUrl + '/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: objectEvents(2),
    });
    expect(captured.status).toBe(202);
    await ask(server.baseUrl, '/events');
    expect(seen[1]?.['edgetrace-journal-seq']).toBe('2');
  });
});

describe('X-Forwarded-For', () => {
  it("reaches the sidecar as the client's own address, replacing every address field a client sent", async () => {
    const seen: IncomingHttpHeaders[] = [];
    echo = createServer((request, response) => {
      seen.push(request.headers);
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const address = echo.address();
    if (address === null || typeof address === 'string') throw new Error('no echo port');
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort: address.port });
    const claims =
      'X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-For: 198.51.100.1\r\nForwarded: for=203.0.113.7\r\n' +
      'X-Real-IP: 203.0.113.7\r\nX-Forwarded-Host: attacker.example\r\nX-Forwarded-Proto: https\r\n';
    // All of 127/8 is loopback: a second source address shows the header is the peer's, not a constant.
    for (const localAddress of ['127.0.0.1', '127.0.0.2']) {
      const socket = connect({ host: '127.0.0.1', port: server.port, localAddress });
      sockets.push(socket);
      const reader = new KeepAliveReader(socket);
      await once(socket, 'connect');
      socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n${claims}\r\n`);
      expect((await reader.next(10_000)).status).toBe(200);
    }
    expect(seen).toHaveLength(2);
    expect(seen.map((headers) => headers['x-forwarded-for'])).toEqual(['127.0.0.1', '127.0.0.2']);
    for (const headers of seen) {
      expect(headers).not.toHaveProperty('forwarded');
      expect(headers).not.toHaveProperty('x-real-ip');
      expect(headers).not.toHaveProperty('x-forwarded-host');
      expect(headers).not.toHaveProperty('x-forwarded-proto');
    }
  });
});
