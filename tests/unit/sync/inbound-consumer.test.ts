// The consumer's failure policy with a fake channel and store: a message whose apply keeps failing
// is retried, then dead-lettered after SYNC_MAX_ATTEMPTS failures with the reason; a store that
// cannot write requeues the batch and never dead-letters for it; acks are one `multiple` ack per batch.
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { IngestPipeline } from '../../../host/ingest/ingest-pipeline.js';
import { createMetrics } from '../../../host/metrics/metrics.js';
import { CaptureJobs } from '../../../host/store/capture-jobs.js';
import { openDatabase } from '../../../host/store/open-database.js';
import { StoreUnavailableError } from '../../../host/store/errors.js';
import type { EventToStore, StoreOutcome } from '../../../host/store/event-writer.js';
import type { GroupCommitter, WriteRequest } from '../../../host/store/group-committer.js';
import { REASON_HEADER } from '../../../host/sync/dead-letter.js';
import { encodeEventMessage } from '../../../host/sync/event-message.js';
import { outboxEntry } from './helpers/outbox-entry.js';
import { InboundConsumer } from '../../../host/sync/inbound-consumer.js';
import { loadCore } from '../../helpers/core.js';
import { objectEvent, sgtin } from '../../helpers/epcis-builders.js';

class FakeChannels {
  deliver: (message: ConsumeMessage | null) => void = () => undefined;
  readonly acks: { tag: number; multiple: boolean }[] = [];
  readonly nacks: { tag: number; requeue: boolean }[] = [];
  readonly deadLetters: { headers: Record<string, unknown> }[] = [];
  private tag = 0;

  readonly channel = {
    prefetch: () => Promise.resolve({}),
    consume: (_queue: string, onMessage: (message: ConsumeMessage | null) => void) => {
      this.deliver = onMessage;
      return Promise.resolve({ consumerTag: 'fake' });
    },
    cancel: () => Promise.resolve({ consumerTag: 'fake' }),
    ack: (message: ConsumeMessage, multiple?: boolean) =>
      this.acks.push({ tag: message.fields.deliveryTag, multiple: multiple === true }),
    nack: (message: ConsumeMessage, _multiple?: boolean, requeue?: boolean) =>
      this.nacks.push({ tag: message.fields.deliveryTag, requeue: requeue === true }),
  } as unknown as Channel;

  readonly confirmChannel = {
    publish: (
      _exchange: string,
      _key: string,
      _content: Buffer,
      options: Options.Publish,
      done: (error: unknown) => void,
    ) => {
      this.deadLetters.push({ headers: options.headers as Record<string, unknown> });
      done(null);
      return true;
    },
  } as unknown as ConfirmChannel;

  /** Delivers the message another site's relay would publish for event `n`. */
  send(n: number, from: { originSite?: string; recordTimeMs?: number; body?: string } = {}): void {
    // recordTimeMs 1000 unless given: these deliveries' record times are not their serials.
    const message = encodeEventMessage(
      outboxEntry(n, { ...from, recordTimeMs: from.recordTimeMs ?? 1000 }),
      [],
    );
    this.deliver({
      content: message.content,
      fields: {
        deliveryTag: ++this.tag,
        redelivered: false,
        exchange: 'x',
        routingKey: message.routingKey,
        consumerTag: 'fake',
      },
      properties: { headers: message.options.headers, messageId: message.options.messageId },
    } as unknown as ConsumeMessage);
  }
}

/** A committer whose outcome for each request is chosen by the test. */
function fakeCommitter(outcome: (events: EventToStore[]) => StoreOutcome[] | Error) {
  const requests: WriteRequest[] = [];
  const committer = {
    submit: (request: WriteRequest) => {
      requests.push(request);
      const result = outcome(request.events);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  } as unknown as GroupCommitter;
  return { committer, requests };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('inbound consumer failure policy', () => {
  let core: TrackerCore;
  let jobs: CaptureJobs;
  beforeAll(async () => {
    core = await loadCore();
    jobs = new CaptureJobs(openDatabase({ path: ':memory:', synchronous: 'NORMAL' }));
  });

  const consumer = (committer: GroupCommitter, maxAttempts = 3) =>
    new InboundConsumer({
      ingest: new IngestPipeline({ core, committer, jobs, trackState: true }),
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      siteId: 'hub',
      queue: 'q',
      deadLetterExchange: 'dlx',
      prefetch: 100,
      maxAttempts,
      storeRetryDelayMs: 1,
    });

  it('stores a batch in one write request and acks it with one multiple ack', async () => {
    const { committer, requests } = fakeCommitter((events) =>
      events.map((_, i) => ({ kind: 'stored', seq: i + 1 })),
    );
    const fake = new FakeChannels();
    await consumer(committer).attach(fake.channel, fake.confirmChannel, () => undefined);
    fake.send(1);
    fake.send(2);
    fake.send(3);
    await settle();
    expect(requests.map((r) => r.events.map((e) => e.eventId))).toEqual([
      ['urn:uuid:e-1', 'urn:uuid:e-2', 'urn:uuid:e-3'],
    ]);
    expect(
      requests[0]!.events.every(
        (e) => !e.enqueueForSync && e.originSite === 'site-x' && e.recordTimeMs === 1000,
      ),
    ).toBe(true);
    expect(fake.acks).toEqual([{ tag: 3, multiple: true }]);
  });

  it('requeues a message whose apply fails, and dead-letters it with the reason after the last attempt', async () => {
    const { committer } = fakeCommitter((events) =>
      events.some((e) => e.eventId === 'urn:uuid:e-7')
        ? new Error('CHECK constraint failed')
        : events.map(() => ({ kind: 'stored', seq: 1 })),
    );
    const fake = new FakeChannels();
    await consumer(committer, 3).attach(fake.channel, fake.confirmChannel, () => undefined);
    fake.send(6);
    fake.send(7);
    await settle();
    // The batch failed as a whole, so each message was stored alone: 6 went in, 7 is requeued.
    expect(fake.nacks).toEqual([{ tag: 2, requeue: true }]);
    expect(fake.acks).toEqual([{ tag: 1, multiple: true }]);
    fake.send(7);
    await settle();
    fake.send(7);
    await settle();
    expect(fake.nacks).toHaveLength(2);
    expect(fake.deadLetters).toHaveLength(1);
    expect(fake.deadLetters[0]!.headers[REASON_HEADER]).toBe('failed 3 times: CHECK constraint failed');
    expect(fake.acks.at(-1)).toEqual({ tag: 4, multiple: true });
  });

  it('requeues the whole batch while the store cannot write, and never dead-letters for it', async () => {
    const { committer } = fakeCommitter(
      () => new StoreUnavailableError('SQLITE_FULL', 'disk full', { cause: null }),
    );
    const fake = new FakeChannels();
    await consumer(committer, 2).attach(fake.channel, fake.confirmChannel, () => undefined);
    for (let round = 0; round < 3; round++) {
      fake.send(10);
      fake.send(11);
      await settle();
    }
    expect(fake.deadLetters).toEqual([]);
    expect(fake.acks).toEqual([]);
    expect(fake.nacks.every((n) => n.requeue)).toBe(true);
    expect(fake.nacks).toHaveLength(6);
  });

  it('keeps each event’s own origin site and record time when a batch is prepared as one document', async () => {
    const { committer, requests } = fakeCommitter((events) =>
      events.map((_, i) => ({ kind: 'stored', seq: i + 1 })),
    );
    const fake = new FakeChannels();
    await consumer(committer).attach(fake.channel, fake.confirmChannel, () => undefined);
    fake.send(21, { originSite: 'site-a', recordTimeMs: 5001 });
    fake.send(22, { originSite: 'site-b', recordTimeMs: 5002 });
    fake.send(23, { originSite: 'site-a', recordTimeMs: 5003 });
    await settle();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.events.map((e) => [e.eventId, e.originSite, e.recordTimeMs])).toEqual([
      ['urn:uuid:e-21', 'site-a', 5001],
      ['urn:uuid:e-22', 'site-b', 5002],
      ['urn:uuid:e-23', 'site-a', 5003],
    ]);
    expect(fake.acks).toEqual([{ tag: 3, multiple: true }]);
  });

  it('dead-letters a message carrying two events and stores the rest of its batch once each', async () => {
    const { committer, requests } = fakeCommitter((events) =>
      events.map((_, i) => ({ kind: 'stored', seq: i + 1 })),
    );
    const fake = new FakeChannels();
    await consumer(committer).attach(fake.channel, fake.confirmChannel, () => undefined);
    const one = (n: number) =>
      JSON.stringify({
        ...objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)]),
        eventID: `urn:uuid:e-${n}`,
      });
    fake.send(31);
    fake.send(32, { body: `${one(32)},${one(33)}` });
    fake.send(34);
    fake.send(31);
    await settle();
    expect(requests.flatMap((r) => r.events.map((e) => e.eventId)).sort()).toEqual([
      'urn:uuid:e-31',
      'urn:uuid:e-31',
      'urn:uuid:e-34',
    ]);
    expect(fake.deadLetters).toHaveLength(1);
    expect(fake.deadLetters[0]!.headers[REASON_HEADER]).toBe('expected exactly one event, found 2');
    expect(fake.acks).toEqual([{ tag: 4, multiple: true }]);
  });
});
