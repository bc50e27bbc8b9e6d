// A TCP proxy between a service and its broker that a test can break on purpose: pass bytes through,
// cut the link (reset both sides, refuse new connections until healed), stall it (stop forwarding
// but keep every socket open, as a black-holed WAN does), or drop a connection in the middle of an
// AMQP frame (forward part of the next chunk, then reset). Loopback only.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** pass: forward; down: reset every connection, new ones at once; stalled: forward nothing, keep sockets. */
export type LinkMode = 'pass' | 'down' | 'stalled';

/** Which way the partial chunk of a mid-frame drop travels. */
export type Direction = 'toUpstream' | 'toClient' | 'either';

export interface FaultProxyOptions {
  upstreamHost?: string;
  upstreamPort: number;
  /** Listen port on 127.0.0.1; 0 (default) lets the kernel choose. */
  port?: number;
}

export interface ProxyStats {
  accepted: number;
  open: number;
  bytesToUpstream: number;
  bytesToClient: number;
  resets: number;
  midFrameDrops: number;
}

interface Link {
  client: Socket;
  upstream: Socket;
  closed: boolean;
}

interface PendingDrop {
  direction: Direction;
  /** Fraction of the chunk forwarded before the reset (0 < fraction < 1). */
  fraction: number;
  done: () => void;
}

function reset(socket: Socket): void {
  if (socket.destroyed) return;
  // RST rather than FIN: the peer learns of the failure the way a broken network tells it, with no
  // orderly AMQP or TCP close. A socket that never connected cannot be reset, only destroyed.
  if (socket.readyState === 'open' || socket.readyState === 'readOnly' || socket.readyState === 'writeOnly') {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}

export class FaultProxy {
  private readonly server: Server;
  private readonly links = new Set<Link>();
  /** Every socket still open, links or not, so close() leaves nothing behind. */
  private readonly sockets = new Set<Socket>();
  private currentMode: LinkMode = 'pass';
  private pendingDrop: PendingDrop | null = null;
  private readonly counters: ProxyStats = {
    accepted: 0,
    open: 0,
    bytesToUpstream: 0,
    bytesToClient: 0,
    resets: 0,
    midFrameDrops: 0,
  };

  private constructor(private readonly options: FaultProxyOptions) {
    this.server = createServer({ noDelay: true }, (client) => this.accept(client));
  }

  /** Starts listening on 127.0.0.1 and forwarding to the upstream (default 127.0.0.1). */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    proxy.server.listen(options.port ?? 0, '127.0.0.1');
    await once(proxy.server, 'listening');
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the fault proxy is not listening');
    return address.port;
  }

  /** amqp://guest:guest@127.0.0.1:<port> with the path and query of `url` kept (vhost, heartbeat). */
  amqpUrl(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get mode(): LinkMode {
    return this.currentMode;
  }

  stats(): ProxyStats {
    return { ...this.counters, open: this.links.size };
  }

  /** Resets every open connection (both sides) and every new one until heal(). */
  cut(): void {
    this.currentMode = 'down';
    this.resolvePendingDrop();
    for (const link of [...this.links]) this.resetLink(link);
  }

  /**
   * Stops forwarding in both directions without closing anything: bytes wait in the sockets (and,
   * once their buffers fill, in the peers' kernels), as on a link that silently lost its route. New
   * connections are accepted and stalled too.
   */
  stall(): void {
    this.currentMode = 'stalled';
    for (const link of this.links) {
      link.client.pause();
      link.upstream.pause();
    }
  }

  /** Forwards again: stalled connections resume with the bytes they held; new connections pass. */
  heal(): void {
    this.currentMode = 'pass';
    for (const link of this.links) {
      link.client.resume();
      link.upstream.resume();
    }
  }

  /**
   * Arms a drop: the next chunk travelling in `direction` on any connection is forwarded in part
   * (`fraction` of its bytes, at least one and at most all but one) followed by FIN, and the
   * sender's side is reset, so the receiver holds a truncated frame and the sender a broken socket. Other connections and later ones pass.
   * Resolves once the drop happened (or when cut() or close() made it moot).
   */
  dropMidFrame(direction: Direction = 'either', fraction = 0.5): Promise<void> {
    if (!(fraction > 0 && fraction < 1)) throw new RangeError('fraction must be between 0 and 1');
    this.resolvePendingDrop();
    return new Promise<void>((done) => {
      this.pendingDrop = { direction, fraction, done };
    });
  }

  /** Resolves when at least `count` connections are open (bounded by `timeoutMs`). */
  async waitForOpen(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.links.size < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `fault proxy: ${this.links.size} open connections after ${timeoutMs} ms, wanted ${count}`,
        );
      }
      await new Promise((done) => setTimeout(done, 10));
    }
  }

  /** Stops listening and resets every connection. */
  async close(): Promise<void> {
    this.resolvePendingDrop();
    for (const link of [...this.links]) this.resetLink(link);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  /** A fault: both sides see a reset. */
  private resetLink(link: Link): void {
    if (link.closed) return;
    link.closed = true;
    this.links.delete(link);
    this.counters.resets++;
    reset(link.client);
    reset(link.upstream);
  }

  /** One side closed by itself: the other side is closed too, without a fault of the proxy's. */
  private endLink(link: Link): void {
    if (link.closed) return;
    link.closed = true;
    this.links.delete(link);
    // end(), not destroy(): bytes already written to the surviving side still reach it.
    link.client.end();
    link.upstream.end();
  }

  private resolvePendingDrop(): void {
    const pending = this.pendingDrop;
    this.pendingDrop = null;
    pending?.done();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private accept(client: Socket): void {
    this.counters.accepted++;
    this.track(client);
    client.on('error', () => undefined);
    if (this.currentMode === 'down') {
      reset(client);
      this.counters.resets++;
      return;
    }
    const upstream = createConnection({
      host: this.options.upstreamHost ?? '127.0.0.1',
      port: this.options.upstreamPort,
      noDelay: true,
    });
    this.track(upstream);
    upstream.on('error', () => undefined);
    const link: Link = { client, upstream, closed: false };
    this.links.add(link);
    // A connection accepted while stalled waits like the others (the TCP handshake with the proxy
    // completes, as with a router that still answers but forwards nothing).
    if (this.currentMode === 'stalled') {
      client.pause();
      upstream.pause();
    }
    this.pipe(link, client, upstream, 'toUpstream');
    this.pipe(link, upstream, client, 'toClient');
    const end = () => this.endLink(link);
    client.on('close', end);
    upstream.on('close', end);
  }

  private pipe(link: Link, from: Socket, to: Socket, direction: 'toUpstream' | 'toClient'): void {
    from.on('data', (chunk: Buffer) => {
      if (link.closed) return;
      const drop = this.pendingDrop;
      if (
        drop !== null &&
        (drop.direction === 'either' || drop.direction === direction) &&
        chunk.length >= 2
      ) {
        this.pendingDrop = null;
        const cutAt = Math.min(chunk.length - 1, Math.max(1, Math.floor(chunk.length * drop.fraction)));
        this.count(direction, cutAt);
        this.counters.midFrameDrops++;
        link.client.pause();
        link.upstream.pause();
        // The receiver gets the partial chunk and then FIN: a reset would let Linux discard bytes
        // it had not read yet, and the truncated frame would never be seen. The sender is reset.
        link.closed = true;
        this.links.delete(link);
        this.counters.resets++;
        to.end(chunk.subarray(0, cutAt), () => {
          reset(from);
          to.destroy();
          drop.done();
        });
        return;
      }
      this.count(direction, chunk.length);
      // Backpressure: a slow receiver pauses the sender rather than growing this process's memory.
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => {
          if (this.currentMode !== 'stalled' && !link.closed) from.resume();
        });
      }
    });
    from.on('end', () => {
      if (!link.closed) to.end();
    });
  }

  private count(direction: 'toUpstream' | 'toClient', bytes: number): void {
    if (direction === 'toUpstream') this.counters.bytesToUpstream += bytes;
    else this.counters.bytesToClient += bytes;
  }
}
