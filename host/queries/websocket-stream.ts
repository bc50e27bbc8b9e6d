// One WebSocket subscription (GET /queries/{name}/events?stream=true with Upgrade): every matching
// event from initialRecordTime on, each once, in arrival order, each as one JSON text message holding
// the event exactly as GET /events renders it. Per-connection backpressure: a batch is sent only
// after the previous one reached the socket; a client that leaves more than `maxBufferedBytes`
// unread, or does not take a batch within `stallMs`, is closed with 1008 and a reason rather than
// buffered for without bound. Nothing is stored: a client that reconnects says where to resume with
// initialRecordTime.
import type { Database } from 'better-sqlite3';
import type { WebSocket } from 'ws';
import type { EpcFormat } from '../http/epc-format.js';
import { eventForOutput } from '../http/query-document.js';
import type { Metrics } from '../metrics/metrics.js';
import type { EventQuery, StoredEventRow } from '../query/event-query.js';
import type { EventFeedPort, FeedSubscriptionHandle } from './feed-port.js';
import { type DeliveryPosition, readNextBatch } from './subscription-reader.js';

export interface WebSocketStreamOptions {
  db: Database;
  feed: EventFeedPort;
  metrics: Metrics;
  format: EpcFormat;
  toDigitalLink: (id: string) => string;
  batchLimit: number;
  maxBufferedBytes: number;
  stallMs: number;
}

export const CLOSE_NORMAL = 1000;
export const CLOSE_POLICY = 1008;
export const CLOSE_SERVER_ERROR = 1011;

export class WebSocketStream {
  private feedSubscription: FeedSubscriptionHandle | null = null;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly query: EventQuery,
    private readonly position: DeliveryPosition,
    private readonly options: WebSocketStreamOptions,
  ) {
    options.metrics.subscriptions.active.inc({ transport: 'websocket' });
    socket.on('close', () => this.release());
  }

  /** Catches up on stored events, then follows the live feed until either side closes. */
  async start(): Promise<void> {
    try {
      while (!this.closed && this.position.deliveredSeq < this.position.catchUpSeq) {
        const batch = readNextBatch(this.options.db, this.query, this.position, this.options.batchLimit, () =>
          this.options.feed.headSeq(),
        );
        await this.send(batch.rows);
        this.position.deliveredSeq = batch.throughSeq;
      }
      if (this.closed) return;
      this.feedSubscription = this.options.feed.subscribe(
        this.query,
        this.position.deliveredSeq,
        async (rows) => {
          const fresh = rows.filter((row) => row.seq > this.position.deliveredSeq);
          await this.send(fresh);
          const last = fresh.at(-1);
          if (last !== undefined) this.position.deliveredSeq = last.seq;
        },
        {
          batchLimit: this.options.batchLimit,
          onEnd: (reason) => {
            if (reason === 'feed-closed')
              this.close(1001, 'the server is shutting down; reconnect with initialRecordTime');
            else
              this.close(
                CLOSE_SERVER_ERROR,
                'the server failed to read the events; reconnect with initialRecordTime',
              );
          },
        },
      );
    } catch (error) {
      this.close(
        CLOSE_SERVER_ERROR,
        'the server failed to read the events; reconnect with initialRecordTime',
      );
      throw error;
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.release();
    this.socket.close(code, reason);
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.feedSubscription?.close();
    this.options.metrics.subscriptions.active.dec({ transport: 'websocket' });
  }

  private async send(rows: StoredEventRow[]): Promise<void> {
    if (this.closed || rows.length === 0) return;
    let flushed: Promise<void> = Promise.resolve();
    for (const row of rows) {
      const text = JSON.stringify(eventForOutput(row, this.options.format, this.options.toDigitalLink));
      flushed = new Promise<void>((resolve) => this.socket.send(text, () => resolve()));
    }
    this.options.metrics.subscriptions.events.inc({ transport: 'websocket' }, rows.length);
    if (this.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.close(CLOSE_POLICY, 'consumer too slow: too many unread events; reconnect with initialRecordTime');
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.options.stallMs);
      timer.unref();
    });
    const tookTooLong = await Promise.race([flushed.then(() => false), stalled]);
    clearTimeout(timer);
    if (tookTooLong)
      this.close(
        CLOSE_POLICY,
        'consumer too slow: events not read in time; reconnect with initialRecordTime',
      );
  }
}
