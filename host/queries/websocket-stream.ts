// One WebSocket subscription (GET /queries/{name}/events?stream=true with Upgrade): every matching
// event from initialRecordTime on, each once, in arrival order, each as one JSON text message holding
// the event exactly as GET /events renders it. Per-connection backpressure: a batch (at most
// `batchLimit` events and `batchBytes` of them) is read from SQLite only after the previous one
// reached the socket, so a client holds at most about one batch in the server; a client that left
// more than `maxBufferedBytes` unread beyond the batch just sent, or does not take a batch within
// `stallMs`, is closed with 1008 and a reason rather than buffered for. Nothing is stored: a client
// that reconnects says where to resume with initialRecordTime.
import type { Database } from 'better-sqlite3';
import type { WebSocket } from 'ws';
import type { CatchUpShare } from '../live/event-feed.js';
import { eventJson, type OutputFormat } from '../live/event-frames.js';
import type { Metrics } from '../metrics/metrics.js';
import type { EventQuery, StoredEventRow } from '../query/event-query.js';
import type { EventFeedPort, FeedSubscriptionHandle } from './feed-port.js';
import { type DeliveryPosition, readNextBatch } from './subscription-reader.js';

export interface WebSocketStreamOptions {
  db: Database;
  feed: EventFeedPort;
  metrics: Metrics;
  format: OutputFormat;
  toDigitalLink: (id: string) => string;
  batchLimit: number;
  /** Most event bytes per batch beyond its first event (LIVE_BATCH_BYTES). */
  batchBytes: number;
  maxBufferedBytes: number;
  stallMs: number;
  /** Loop turns and recent rows shared with the other streams catching up (the live feed's). */
  catchUp: CatchUpShare;
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
        await this.options.catchUp.take();
        if (this.closed) return;
        const batch = readNextBatch(
          this.options.db,
          this.query,
          this.position,
          this.options.batchLimit,
          () => this.options.feed.headSeq(),
          this.options.batchBytes,
        );
        await this.send(this.options.catchUp.share(batch.rows));
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
    let sentBytes = 0;
    for (const row of rows) {
      const text = eventJson(row, this.options.format, this.options.toDigitalLink);
      sentBytes += Buffer.byteLength(text);
      flushed = new Promise<void>((resolve) => this.socket.send(text, () => resolve()));
    }
    this.options.metrics.subscriptions.events.inc({ transport: 'websocket' }, rows.length);
    // What this batch added is bounded by batchBytes; only older unread data counts against the
    // client, so an event larger than the bound is still delivered.
    if (this.socket.bufferedAmount - sentBytes > this.options.maxBufferedBytes) {
      this.dropSlow('buffer', 'consumer too slow: too many unread events; reconnect with initialRecordTime');
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
      this.dropSlow('stall', 'consumer too slow: events not read in time; reconnect with initialRecordTime');
  }

  private dropSlow(reason: 'buffer' | 'stall', sentence: string): void {
    if (this.closed) return;
    this.options.metrics.live.slowSubscribersDropped.inc({ transport: 'websocket', reason });
    this.close(CLOSE_POLICY, sentence);
    // The close frame waits behind the data the client does not read, and ws would keep that data
    // (and the connection's stream slot) for its 30 s closing handshake: cut the connection now.
    if (this.socket.bufferedAmount > 0) this.socket.terminate();
  }
}
