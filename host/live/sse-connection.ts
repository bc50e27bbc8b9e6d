// One text/event-stream response: writes frames, keeps the connection alive with comment lines,
// and bounds what a client that does not read can cost. send() answers with a promise while the
// socket's buffer is full, so the feed holds that client's next batch back (and serves the others)
// instead of buffering it; a client whose buffer stays full for stallTimeoutMs is disconnected.
import type { ServerResponse } from 'node:http';

export interface SseTiming {
  /** A ": ping" comment line this often, so proxies and clients see the connection is alive. */
  heartbeatMs: number;
  /** Longest time a client may leave written data unread before it is disconnected. */
  stallTimeoutMs: number;
  /** The reconnection delay sent to EventSource clients (`retry:`). */
  retryMs: number;
}

export const DEFAULT_SSE_TIMING: SseTiming = { heartbeatMs: 15_000, stallTimeoutMs: 30_000, retryMs: 2_000 };

/** Why a stream ended: the client left, the service shuts down, the client stopped reading, or the feed ended. */
export type StreamEndReason = 'client-closed' | 'shutdown' | 'stalled' | 'feed-ended';

export class SseConnection {
  private heartbeat: NodeJS.Timeout | null = null;
  private waiting: Promise<void> | null = null;
  /** Settles `waiting`: on drain, or when the stream ends. */
  private release: (() => void) | null = null;
  private ended: StreamEndReason | null = null;
  private readonly listeners: ((reason: StreamEndReason) => void)[] = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly timing: SseTiming,
  ) {
    res.on('close', () => this.finish('client-closed'));
  }

  /** Sends the status line and headers, the retry delay and the stream's starting id. */
  open(headers: Record<string, string>, startId: number): void {
    this.res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    // An id without data sets the client's Last-Event-ID without an event: a client that reconnects
    // before any event arrived resumes here instead of at a later head, and misses nothing.
    this.res.write(`retry: ${this.timing.retryMs}\nid: ${startId}\n\n`);
    this.heartbeat = setInterval(() => {
      if (this.waiting === null) this.res.write(': ping\n\n');
    }, this.timing.heartbeatMs);
    this.heartbeat.unref();
  }

  onEnd(listener: (reason: StreamEndReason) => void): void {
    this.listeners.push(listener);
  }

  get endReason(): StreamEndReason | null {
    return this.ended;
  }

  /** Writes `text` (or its UTF-8 bytes); a promise when the client must read before more is sent. */
  send(text: string | Uint8Array): void | Promise<void> {
    if (this.ended !== null) return;
    const flushed = this.res.write(text);
    if (this.waiting !== null) return this.waiting;
    if (flushed) return;
    this.waiting = new Promise<void>((resolve) => {
      const stall = setTimeout(() => this.end('stalled'), this.timing.stallTimeoutMs);
      stall.unref();
      const release = () => {
        clearTimeout(stall);
        this.res.off('drain', release);
        this.release = null;
        this.waiting = null;
        resolve();
      };
      this.release = release;
      this.res.on('drain', release);
    });
    return this.waiting;
  }

  /** Ends the stream; a client that stopped reading is cut off, since its buffer would never flush. */
  end(reason: StreamEndReason): void {
    if (this.ended !== null) return;
    if (reason === 'stalled') this.res.destroy();
    else this.res.end();
    this.finish(reason);
  }

  private finish(reason: StreamEndReason): void {
    if (this.ended !== null) return;
    this.ended = reason;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.release?.();
    for (const listener of this.listeners.splice(0)) listener(reason);
  }
}
