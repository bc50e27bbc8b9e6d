// The fault proxy the sync fault tests rely on: it must forward faithfully while passing, and each
// fault must do exactly what its name says, or a fault test could pass without any fault happening.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy.js';

/** An upstream that records what each connection received and can send to it. */
class Upstream {
  readonly connections: { socket: Socket; received: Buffer[]; closed: boolean }[] = [];
  private constructor(readonly server: Server) {}

  static async start(echo: boolean): Promise<Upstream> {
    const upstream: Upstream = new Upstream(
      createServer((socket) => {
        const entry = { socket, received: [] as Buffer[], closed: false };
        upstream.connections.push(entry);
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          entry.received.push(chunk);
          if (echo) socket.write(chunk);
        });
        socket.on('close', () => (entry.closed = true));
      }),
    );
    upstream.server.listen(0, '127.0.0.1');
    await once(upstream.server, 'listening');
    return upstream;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return address.port;
  }

  bytesReceived(index: number): number {
    return this.connections[index]?.received.reduce((n, c) => n + c.length, 0) ?? 0;
  }

  close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    return new Promise((done) => this.server.close(() => done()));
  }
}

interface Client {
  socket: Socket;
  received: () => Buffer;
  closed: Promise<{ hadError: boolean; error: string | null }>;
}

function dial(port: number): Client {
  const socket = createConnection({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  let error: string | null = null;
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  const closed = new Promise<{ hadError: boolean; error: string | null }>((done) =>
    socket.on('close', (hadError) => done({ hadError, error })),
  );
  return { socket, received: () => Buffer.concat(chunks), closed };
}

async function connect(port: number): Promise<Client> {
  const client = dial(port);
  await once(client.socket, 'connect');
  return client;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('the TCP fault proxy', () => {
  let upstream: Upstream;
  let proxy: FaultProxy;
  const clients: Client[] = [];

  beforeEach(async () => {
    upstream = await Upstream.start(true);
    proxy = await FaultProxy.start({ upstreamPort: upstream.port });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await proxy.close();
    await upstream.close();
  });

  const open = async () => {
    const client = await connect(proxy.port);
    clients.push(client);
    return client;
  };

  it('forwards bytes unchanged in both directions while passing', async () => {
    const client = await open();
    const payload = pattern(2 * 1024 * 1024, 7);
    client.socket.write(payload);
    await until(() => client.received().length >= payload.length, 'the echo');
    expect(client.received().equals(payload)).toBe(true);
    expect(proxy.stats()).toMatchObject({
      bytesToUpstream: payload.length,
      bytesToClient: payload.length,
      resets: 0,
      open: 1,
    });
  });

  it('cut resets both sides of every connection and refuses new ones until healed', async () => {
    const client = await open();
    client.socket.write('hello');
    await until(() => client.received().length === 5, 'the echo');

    proxy.cut();
    const closed = await client.closed;
    expect(closed.hadError).toBe(true);
    expect(closed.error).toBe('ECONNRESET');
    await until(() => upstream.connections[0]!.closed, 'the upstream side to close');

    // While down, a new connection is reset and never reaches the upstream.
    const refused = dial(proxy.port);
    clients.push(refused);
    expect((await refused.closed).hadError).toBe(true);
    expect(upstream.connections.length).toBe(1);

    proxy.heal();
    const after = await open();
    after.socket.write('again');
    await until(() => after.received().toString() === 'again', 'the echo after healing');
    expect(upstream.connections.length).toBe(2);
  });

  it('stall holds the bytes of open connections without closing them, and heal delivers them in order', async () => {
    const client = await open();
    client.socket.write('before');
    await until(() => client.received().toString() === 'before', 'the echo');

    proxy.stall();
    const held = pattern(64 * 1024, 3);
    client.socket.write(held);
    await sleep(150);
    expect(upstream.bytesReceived(0), 'bytes reached the upstream through a stalled link').toBe(6);
    expect(client.socket.destroyed).toBe(false);
    expect(upstream.connections[0]!.closed).toBe(false);

    // A connection made during the stall is accepted but stalled too.
    const late = await open();
    late.socket.write('late');
    await sleep(50);
    expect(late.received().length).toBe(0);

    proxy.heal();
    await until(() => client.received().length === 6 + held.length, 'the held bytes');
    expect(client.received().subarray(6).equals(held)).toBe(true);
    await until(() => late.received().toString() === 'late', 'the late connection');
    expect(proxy.stats().resets).toBe(0);
  });

  it('a mid-frame drop delivers part of one chunk, then resets that connection only', async () => {
    await proxy.close();
    await upstream.close();
    upstream = await Upstream.start(false);
    proxy = await FaultProxy.start({ upstreamPort: upstream.port });

    const victim = await open();
    const bystander = await open();
    await until(() => upstream.connections.length === 2, 'both connections upstream');

    const dropped = proxy.dropMidFrame('toClient', 0.5);
    const frame = pattern(1000, 11);
    upstream.connections[0]!.socket.write(frame);
    await dropped;

    await victim.closed;
    await until(() => upstream.connections[0]!.closed, 'the sending side to close');
    const got = victim.received();
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(frame.length);
    expect(got.equals(frame.subarray(0, got.length))).toBe(true);
    expect(proxy.stats().midFrameDrops).toBe(1);

    // The other connection and new ones pass.
    upstream.connections[1]!.socket.write('still here');
    await until(() => bystander.received().toString() === 'still here', 'the bystander');
    const fresh = await open();
    await until(() => upstream.connections.length === 3, 'a new connection upstream');
    upstream.connections[2]!.socket.write(frame);
    await until(() => fresh.received().length === frame.length, 'a whole frame');
  });

  it('a mid-frame drop towards the upstream truncates what the upstream receives', async () => {
    const client = await open();
    await until(() => upstream.connections.length === 1, 'the connection upstream');
    const dropped = proxy.dropMidFrame('toUpstream', 0.25);
    client.socket.write(pattern(4000, 5));
    await dropped;
    await until(() => upstream.connections[0]!.closed, 'the upstream side to close');
    expect(upstream.bytesReceived(0)).toBeGreaterThan(0);
    expect(upstream.bytesReceived(0)).toBeLessThan(4000);
    expect((await client.closed).hadError, 'the sender sees a reset').toBe(true);
  });
});
