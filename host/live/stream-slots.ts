// The cap on live streams open at once (LIVE_MAX_STREAMS), shared by GET /events/stream and the
// WebSocket subscriptions: each open stream holds a socket, a catch-up cursor and up to one batch,
// so their number is what bounds the memory all of them hold together.
import type { Metrics } from '../metrics/metrics.js';

export type StreamTransport = 'sse' | 'websocket';

/** Seconds a refused client is told to wait (Retry-After) before it tries again. */
export const STREAM_RETRY_AFTER_S = 5;

export class StreamSlots {
  private openCount = 0;

  constructor(
    readonly max: number,
    private readonly metrics?: Pick<Metrics['live'], 'streamsRejected'>,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max streams must be at least 1; got ${max}`);
  }

  /** Whether another stream may open now (checked before a WebSocket upgrade is answered). */
  available(): boolean {
    return this.openCount < this.max;
  }

  /** Takes a slot: a release function (safe to call more than once), or null when all are taken. */
  acquire(transport: StreamTransport): (() => void) | null {
    if (!this.available()) {
      this.metrics?.streamsRejected.inc({ transport });
      return null;
    }
    this.openCount++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.openCount--;
    };
  }

  /** Counts a stream refused before it asked for a slot (a WebSocket upgrade answered 503). */
  refused(transport: StreamTransport): void {
    this.metrics?.streamsRejected.inc({ transport });
  }

  get open(): number {
    return this.openCount;
  }
}
