// One event-stream response over a real socket: the heartbeat, waiting for a full socket to drain,
// and cutting off a client that leaves its data unread for longer than the stall timeout.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseConnection, type StreamEndReason } from '../../../host/live/sse-connection.js';
import { SseClient } from '../../helpers/sse-client.js';

let server: Server | null = null;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

/** A server whose one route opens an SseConnection and hands it to the test. */
async function serve(timing: { heartbeatMs: number; stallTimeoutMs: number }) {
  let accept: (connection: SseConnection) => void = () => {};
  const opened = new Promise<SseConnection>((resolve) => (accept = resolve));
  server = createServer((_req, res: ServerResponse) => {
    const connection = new SseConnection(res, { ...timing, retryMs: 1500 });
    connection.open({ 'x-test': 'yes' }, 41);
    accept(connection);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, opened };
}

/**
 * Sends frames until the socket stays full: the kernel's buffers take several megabytes before a
 * client that does not read makes the writes back up. Returns the send() promise that did not settle.
 */
async function fillUntilBlocked(
  connection: SseConnection,
  frame: string,
): Promise<{ pending: Promise<void> }> {
  for (let i = 0; i < 4000; i++) {
    const pending = connection.send(frame);
    if (pending === undefined) continue;
    const settled = await Promise.race([
      pending.then(() => true),
      new Promise((r) => setTimeout(r, 100, false)),
    ]);
    // Wrapped: an async function returning the promise itself would wait for it.
    if (!settled) return { pending };
  }
  throw new Error('the socket never stayed full');
}

describe('SseConnection', () => {
  it('announces the retry delay and the starting id, then sends a ping comment every heartbeat', async () => {
    const { url, opened } = await serve({ heartbeatMs: 20, stallTimeoutMs: 10_000 });
    const client = await SseClient.open(url);
    const connection = await opened;
    expect(client.headers['x-test']).toBe('yes');
    for (let i = 0; i < 200 && client.comments.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(client.retryMs).toBe(1500);
    expect(client.lastEventId).toBe('41');
    expect(client.events).toEqual([]);
    expect(client.comments.slice(0, 2)).toEqual(['ping', 'ping']);
    connection.end('shutdown');
    await client.ended;
  });

  it('answers send() with a promise while the socket is full, settled once the client reads', async () => {
    const { url, opened } = await serve({ heartbeatMs: 60_000, stallTimeoutMs: 30_000 });
    const client = await SseClient.open(url);
    const connection = await opened;
    client.pause();
    const { pending } = await fillUntilBlocked(connection, `data: ${'y'.repeat(64 * 1024)}\n\n`);
    client.resume();
    await pending;
    expect(connection.endReason).toBeNull();
    connection.end('shutdown');
  });

  it('disconnects a client that leaves its data unread for the stall timeout, and says why', async () => {
    const { url, opened } = await serve({ heartbeatMs: 60_000, stallTimeoutMs: 400 });
    const client = await SseClient.open(url);
    const connection = await opened;
    const reasons: StreamEndReason[] = [];
    connection.onEnd((reason) => reasons.push(reason));
    client.pause();
    const frame = `data: ${'z'.repeat(64 * 1024)}\n\n`;
    const { pending } = await fillUntilBlocked(connection, frame);
    await pending;
    expect(reasons).toEqual(['stalled']);
    expect(connection.send(frame)).toBeUndefined();
    client.resume();
    await client.ended;
  });

  it('reports a client that went away', async () => {
    const { url, opened } = await serve({ heartbeatMs: 60_000, stallTimeoutMs: 10_000 });
    const client = await SseClient.open(url);
    const connection = await opened;
    const ended = new Promise<StreamEndReason>((resolve) => connection.onEnd(resolve));
    client.close();
    expect(await ended).toBe('client-closed');
  });
});
