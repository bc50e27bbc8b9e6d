// A WebSocket subscriber that does not read is closed with 1008 and a reason, instead of the server
// buffering events for it without bound.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { EventFeedPort } from '../../../host/queries/feed-port.js';
import { subscriptionQuery } from '../../../host/queries/subscription-reader.js';
import { WebSocketStream } from '../../../host/queries/websocket-stream.js';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import {
  epcisDocument,
  exampleDocument,
  objectEvent,
  paddedEvent,
  sgtin,
} from '../../helpers/epcis-builders.js';
import { buildServiceApp, post, type ServiceApp } from '../../helpers/service-app.js';
import { fakeCanon } from '../query/fake-canon.js';

let service: ServiceApp;
beforeAll(async () => {
  service = await buildServiceApp();
  const events = Array.from({ length: 3 }, (_, i) =>
    objectEvent('2026-05-01T00:00:00Z', 'OBSERVE', [sgtin(700 + i)]),
  );
  expect((await post(service.app, '/capture', epcisDocument(events))).statusCode).toBe(202);
});
afterAll(async () => {
  await service.close();
});

/** A socket whose peer never reads: sends are never flushed, and it reports `buffered` bytes queued. */
class UnreadSocket extends EventEmitter {
  sent: string[] = [];
  closedWith: { code: number; reason: string } | null = null;
  constructor(readonly bufferedAmount: number) {
    super();
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.emit('close');
  }
  terminate(): void {
    this.emit('close');
  }
}

const feed: EventFeedPort = {
  headSeq: () => service.db.prepare<[], { seq: number }>('SELECT max(seq) AS seq FROM events').get()!.seq,
  subscribe: () => {
    throw new Error('a closed stream must not follow the feed');
  },
};

function streamTo(socket: UnreadSocket, limits: { maxBufferedBytes: number; stallMs: number }) {
  const parsed = parseEventQuery({}, fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return new WebSocketStream(
    socket as unknown as WebSocket,
    subscriptionQuery(parsed.query),
    { deliveredSeq: 0, catchUpSeq: feed.headSeq(), initialRecordTimeMs: 0 },
    {
      db: service.db,
      feed,
      metrics: service.metrics,
      format: 'Never_Translates',
      toDigitalLink: (id) => id,
      batchLimit: 2,
      batchBytes: 1024 * 1024,
      catchUp: { take: () => Promise.resolve(), share: (rows) => rows },
      ...limits,
    },
  );
}

describe('WebSocket backpressure', () => {
  it('closes a client that leaves too many bytes unread with 1008', async () => {
    const socket = new UnreadSocket(10_000);

    await streamTo(socket, { maxBufferedBytes: 1000, stallMs: 60_000 }).start();

    expect(socket.closedWith).toEqual({ code: 1008, reason: expect.stringMatching(/too slow/) });
    expect(socket.sent).toHaveLength(2);
  });

  it('closes a client that does not take a batch in time with 1008, sending no further batch', async () => {
    const socket = new UnreadSocket(0);

    await streamTo(socket, { maxBufferedBytes: 1_000_000, stallMs: 20 }).start();

    expect(socket.closedWith).toEqual({ code: 1008, reason: expect.stringMatching(/too slow/) });
    expect(socket.sent).toHaveLength(2);
  });
});

/** A socket whose peer reads each message a turn after it was sent; records the most left unread. */
class ReadingSocket extends EventEmitter {
  bufferedAmount = 0;
  mostUnread = 0;
  received = 0;
  closedWith: { code: number; reason: string } | null = null;
  send(text: string, flushed: () => void): void {
    const bytes = Buffer.byteLength(text);
    this.bufferedAmount += bytes;
    this.mostUnread = Math.max(this.mostUnread, this.bufferedAmount);
    setImmediate(() => {
      this.bufferedAmount -= bytes;
      this.received++;
      flushed();
    });
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.emit('close');
  }
}

describe('WebSocket catch-up of large events', () => {
  it('sends batches bounded by batchBytes, so a client never has more than about one batch unread', async () => {
    const large = await buildServiceApp();
    try {
      const events = Array.from({ length: 30 }, (_, i) =>
        paddedEvent(objectEvent('2026-05-01T00:00:00Z', 'OBSERVE', [sgtin(800 + i)]), 20_000),
      );
      expect((await post(large.app, '/capture', exampleDocument(events))).statusCode).toBe(202);
      const head = () =>
        large.db.prepare<[], { seq: number }>('SELECT max(seq) AS seq FROM events').get()!.seq;
      const parsed = parseEventQuery({}, fakeCanon);
      if (!parsed.ok) throw new Error(parsed.problem.detail);
      const socket = new ReadingSocket();
      const stream = new WebSocketStream(
        socket as unknown as WebSocket,
        subscriptionQuery(parsed.query),
        { deliveredSeq: 0, catchUpSeq: head(), initialRecordTimeMs: 0 },
        {
          db: large.db,
          feed: { headSeq: head, subscribe: () => ({ close: () => {} }) },
          metrics: large.metrics,
          format: 'Never_Translates',
          toDigitalLink: (id) => id,
          batchLimit: 1000,
          batchBytes: 100_000,
          maxBufferedBytes: 100_000,
          stallMs: 60_000,
          catchUp: { take: () => Promise.resolve(), share: (rows) => rows },
        },
      );

      await stream.start();

      expect(socket.received).toBe(30);
      expect(socket.closedWith).toBeNull();
      // One batch of up to batchBytes of stored JSON (rendering adds eventID and recordTime); all
      // 30 events (600 KB) would be unread at once if batches were bounded by count only.
      expect(socket.mostUnread).toBeLessThanOrEqual(110_000);
      expect(socket.mostUnread).toBeGreaterThan(40_000);
    } finally {
      await large.close();
    }
  });
});
