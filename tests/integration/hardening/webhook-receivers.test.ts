// A webhook receiver is chosen by whoever creates the subscription, so it must not be able to freeze
// or exhaust the site: the real service delivers to hostile loopback receivers (allow-listed) that
// answer 2 GiB, a gzip bomb, or dribble their answer forever, and keep doing it on every retry. Each
// delivery ends within WEBHOOK_TIMEOUT, the process's memory stays bounded, and GET /health keeps
// answering within 100 ms. The capture that triggers the deliveries happens before the measured
// window: it is not the attack.
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { residentBytes, underAttack } from '../../helpers/attack-probes.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import {
  type ServiceProcess,
  ServiceGroup,
  tempDataDir,
  type TempDir,
} from '../../helpers/service-process.js';

const TIMEOUT_MS = 2000;
/** Slack over WEBHOOK_TIMEOUT for the service to notice and close, on a busy 2-core machine. */
const CLOSE_SLACK_MS = 1000;
/** Growth of the service's RSS while it delivers; the answers themselves are 1 MiB to 2 GiB. */
const RSS_GROWTH_BOUND = 64 * 1024 * 1024;
const HEALTH_BOUND_MS = 100;
const MiB = 1024 * 1024;

const group = new ServiceGroup();
const dirs: TempDir[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await group.killAll();
  for (const server of servers.splice(0)) {
    server.close();
    if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
  }
  for (const dir of dirs.splice(0)) dir.remove();
});

/** What a hostile receiver saw of one delivery: when it began and ended, and what it sent back. */
interface Attempt {
  startedMs: number;
  closedMs: number | null;
  bytesSent: number;
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

/** An HTTP receiver that answers every delivery with `status` and `respond`'s body, tracked per socket. */
async function httpReceiver(
  status: number,
  headers: Record<string, string | number>,
  respond: (socket: Socket, attempt: Attempt) => Promise<void>,
): Promise<{ dest: string; attempts: Attempt[] }> {
  const attempts: Attempt[] = [];
  const server = createHttpServer((request, response) => {
    const attempt: Attempt = { startedMs: Date.now(), closedMs: null, bytesSent: 0 };
    attempts.push(attempt);
    request.socket.on('close', () => (attempt.closedMs = Date.now()));
    request.resume();
    request.on('end', () => {
      response.writeHead(status, headers);
      response.flushHeaders();
      void respond(request.socket, attempt).catch(() => undefined);
    });
  });
  return { dest: await listen(server), attempts };
}

/** Writes `chunk` until the socket closes, `limit` bytes are out or `maxMs` passed (bounded loop). */
async function pour(
  socket: Socket,
  attempt: Attempt,
  chunk: Buffer,
  limit: number,
  maxMs: number,
): Promise<void> {
  const until = Date.now() + maxMs;
  while (!socket.destroyed && attempt.bytesSent < limit && Date.now() < until) {
    attempt.bytesSent += chunk.length;
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
  }
}

/**
 * About 1 MiB of gzip that inflates to 1 GiB of zeros: 1024 gzip members of 1 MiB of zeros each (a
 * gzip stream may hold several members, RFC 1952 §2.2, and decoders inflate them all), built in
 * milliseconds where deflating 1 GiB at once takes half a minute of CPU.
 */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: 1024 }, () => member));
}

async function startService(): Promise<ServiceProcess> {
  const dir = tempDataDir('edgetrace-webhook-attack-');
  dirs.push(dir);
  return group.start({
    dataDir: dir.dir,
    env: {
      WEBHOOK_ALLOWED_DESTINATIONS: '127.0.0.1',
      WEBHOOK_TIMEOUT: `${TIMEOUT_MS}ms`,
      // Retries about every second, so one test sees several hostile answers in a few seconds.
      WEBHOOK_RETRY_MAX: '1s',
    },
  });
}

async function call(service: ServiceProcess, path: string, body: unknown): Promise<Response> {
  return fetch(service.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify(body),
  });
}

const shippingEvent = (serial: number, bizStep: string) =>
  epcisDocument([objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [sgtin(serial)], { bizStep })]);

/**
 * Subscribes dest to shipping events, after one capture that does not match (so the first capture's
 * warm-up is not measured as the attack); returns the subscription's path.
 */
async function subscribe(service: ServiceProcess, dest: string): Promise<string> {
  expect((await call(service, '/capture', shippingEvent(1, 'receiving'))).status).toBe(202);
  const query = { name: 'shipments', query: { EQ_bizStep: ['shipping'] } };
  expect((await call(service, '/queries', query)).status).toBe(201);
  const created = await call(service, '/queries/shipments/subscriptions', { dest, stream: true });
  expect(created.status, await created.clone().text()).toBe(201);
  return `/queries/shipments/subscriptions/${((await created.json()) as { subscriptionID: string }).subscriptionID}`;
}

/** Captures a matching event: the service delivers it at once. */
async function captureShipment(service: ServiceProcess): Promise<void> {
  expect((await call(service, '/capture', shippingEvent(2, 'shipping'))).status).toBe(202);
}

/** Waits (bounded) until the service has closed `count` attempts; returns the longest one, in ms. */
async function closedAttempts(attempts: Attempt[], count: number, maxMs = 30_000): Promise<number> {
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    const closed = attempts.filter((a) => a.closedMs !== null);
    if (closed.length >= count) return Math.max(...closed.map((a) => a.closedMs! - a.startedMs));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `the service closed ${attempts.filter((a) => a.closedMs !== null).length} of ${count} attempts`,
  );
}

async function shown(service: ServiceProcess, subscription: string): Promise<Record<string, unknown>> {
  return (await (await fetch(service.url(subscription))).json()) as Record<string, unknown>;
}

const mib = (bytes: number) => (bytes / MiB).toFixed(1);
const report = (
  outcome: { peakRssBytes: number; health: { maxLatencyMs: number; answered: number } },
  baseline: number,
) =>
  `RSS ${mib(baseline)} → peak ${mib(outcome.peakRssBytes)} MiB, GET /health max ${outcome.health.maxLatencyMs.toFixed(1)} ms over ${outcome.health.answered} probes`;

describe('webhook deliveries to hostile receivers', () => {
  it('stops reading a 2 GiB answer after a few KB, every retry: RSS stays flat and each attempt ends in time', async () => {
    const receiver = await httpReceiver(503, { 'content-length': 2 * 1024 * MiB }, (socket, attempt) =>
      pour(socket, attempt, Buffer.alloc(64 * 1024, 0x61), 2 * 1024 * MiB, 20_000),
    );
    const service = await startService();
    const subscription = await subscribe(service, receiver.dest);
    await captureShipment(service);
    const baseline = residentBytes(service.pid);

    const outcome = await underAttack({ baseUrl: service.baseUrl, pid: service.pid }, () =>
      closedAttempts(receiver.attempts, 4),
    );

    const poured = Math.max(...receiver.attempts.map((a) => a.bytesSent));
    console.log(
      `2 GiB answers: ${receiver.attempts.length} attempts, longest ${outcome.result} ms, at most ${mib(poured)} MiB poured before the close; ${report(outcome, baseline)}`,
    );
    expect(outcome.result).toBeLessThan(TIMEOUT_MS + CLOSE_SLACK_MS);
    expect(poured).toBeLessThan(64 * MiB);
    expect((await shown(service, subscription))['lastError']).toBe('HTTP 503');
    expect(outcome.peakRssBytes - baseline).toBeLessThan(RSS_GROWTH_BOUND);
    expect(outcome.health.failed).toBe(0);
    expect(outcome.health.maxLatencyMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 60_000);

  it('never inflates a 1 MiB gzip bomb (1 GiB of zeros), however often it is sent: RSS stays flat', async () => {
    const bomb = gzipBomb();
    const receiver = await httpReceiver(
      500,
      { 'content-encoding': 'gzip', 'content-length': bomb.length },
      async (socket, attempt) => {
        attempt.bytesSent = bomb.length;
        socket.write(bomb);
      },
    );
    const service = await startService();
    const subscription = await subscribe(service, receiver.dest);
    await captureShipment(service);
    const baseline = residentBytes(service.pid);

    const outcome = await underAttack({ baseUrl: service.baseUrl, pid: service.pid }, () =>
      closedAttempts(receiver.attempts, 4),
    );

    console.log(
      `gzip bomb of ${mib(bomb.length)} MiB: ${receiver.attempts.length} attempts, longest ${outcome.result} ms; ${report(outcome, baseline)}`,
    );
    expect(bomb.length).toBeLessThan(1.2 * MiB);
    expect(outcome.result).toBeLessThan(TIMEOUT_MS + CLOSE_SLACK_MS);
    expect((await shown(service, subscription))['lastError']).toBe('HTTP 500');
    expect(outcome.peakRssBytes - baseline).toBeLessThan(RSS_GROWTH_BOUND);
    expect(outcome.health.failed).toBe(0);
    expect(outcome.health.maxLatencyMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 60_000);

  it('gives up on a receiver that dribbles its status line forever at WEBHOOK_TIMEOUT: "timed out"', async () => {
    const attempts: Attempt[] = [];
    // Raw TCP: one header byte every 50 ms, never a complete answer (bounded to 30 s).
    const server = createTcpServer((socket) => {
      const attempt: Attempt = { startedMs: Date.now(), closedMs: null, bytesSent: 0 };
      attempts.push(attempt);
      socket.on('error', () => undefined);
      socket.on('close', () => (attempt.closedMs = Date.now()));
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
        const timer = setInterval(() => {
          if (socket.destroyed || Date.now() - attempt.startedMs > 30_000) clearInterval(timer);
          else {
            socket.write('a');
            attempt.bytesSent += 1;
          }
        }, 50);
        socket.on('close', () => clearInterval(timer));
      });
    });
    const dest = await listen(server);
    const service = await startService();
    const subscription = await subscribe(service, dest);
    await captureShipment(service);
    const baseline = residentBytes(service.pid);

    const outcome = await underAttack({ baseUrl: service.baseUrl, pid: service.pid }, () =>
      closedAttempts(attempts, 2),
    );

    const closed = attempts.filter((a) => a.closedMs !== null).map((a) => a.closedMs! - a.startedMs);
    console.log(
      `dribbling receiver: attempts closed after ${closed.join(', ')} ms (WEBHOOK_TIMEOUT ${TIMEOUT_MS} ms); ${report(outcome, baseline)}`,
    );
    expect(Math.min(...closed)).toBeGreaterThanOrEqual(TIMEOUT_MS - 500);
    expect(outcome.result).toBeLessThan(TIMEOUT_MS + CLOSE_SLACK_MS);
    expect((await shown(service, subscription))['lastError']).toBe('timed out');
    expect(outcome.health.failed).toBe(0);
    expect(outcome.health.maxLatencyMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 60_000);
});
