// The inbound consumer: takes events from this instance's queue (the hub's, or the site's own),
// runs each through the same ingest pipeline as capture, stores a whole delivery batch as one write
// request (one group commit; the pipeline applies the stored events to the state index only after
// the commit), and acks the batch with one `multiple` ack.
// Dedupe is the store's: an event already stored (by eventID, or eventID + declarationTime for an
// error declaration) is a duplicate outcome, acked and counted, never stored twice. Inbound events
// keep their origin's site and record time and never enter this instance's outbox.
//
// Failures: a message the core refuses (or with broken headers) can never be applied and is
// dead-lettered at once with the reason; one whose apply throws is retried and dead-lettered after
// SYNC_MAX_ATTEMPTS failures; a store that cannot write (disk full, closed) is not the message's
// fault: the batch is requeued after a pause and never dead-lettered for it.
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { IngestPipeline } from '../ingest/ingest-pipeline.js';
import type { BatchSummary, LocalBatch } from '../ingest/prepared-batch.js';
import type { Metrics } from '../metrics/metrics.js';
import { StoreClosedError, StoreUnavailableError } from '../store/errors.js';
import type { StoreOutcome } from '../store/event-writer.js';
import { publishDeadLetter } from './dead-letter.js';
import { decodeEventMessage, type IncomingEvent } from './event-message.js';
import { checkJoined, joinSynced, type SyncedParts, syncedParts } from './synced-document.js';

export interface InboundConsumerOptions {
  ingest: IngestPipeline;
  metrics: Metrics;
  logger: Logger;
  siteId: string;
  queue: string;
  deadLetterExchange: string;
  prefetch: number;
  maxAttempts: number;
  /** Pause before requeueing a batch the store could not write. */
  storeRetryDelayMs?: number;
}

interface Attachment {
  channel: Channel;
  deadLetters: ConfirmChannel;
  onFailure: (error: unknown) => void;
  consumerTag: string | null;
}

interface Member {
  message: ConsumeMessage;
  event: IncomingEvent;
}

/** A prepared core batch and the messages it holds (its accepted events, in order). */
interface Submitted {
  members: Member[];
  batch: LocalBatch;
}

interface Poison {
  message: ConsumeMessage;
  reason: string;
  attempts: number;
}

const MAX_TRACKED_FAILURES = 10_000;
/** Most messages joined into one document (synced-document.ts). */
const MAX_JOINED = 500;

const isStoreFailure = (error: unknown) =>
  error instanceof StoreUnavailableError || error instanceof StoreClosedError;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why a prepared message cannot be stored, or null when it holds exactly one valid event. */
function unusable(summary: BatchSummary): string | null {
  if (summary.issues.length > 0) {
    const issue = summary.issues[0]!;
    return `invalid EPCIS: ${issue.message}${issue.pointer === '' ? '' : ` (at ${issue.pointer})`}`;
  }
  if (summary.documentKind !== 'EPCISDocument') return 'the body is not an EPCISDocument';
  if (summary.eventCount !== 1) return `expected exactly one event, found ${summary.eventCount}`;
  if (summary.acceptedCount !== 1) return 'the core did not accept the event';
  return null;
}

export class InboundConsumer {
  private attachment: Attachment | null = null;
  private buffer: ConsumeMessage[] = [];
  private scheduled = false;
  private processing: Promise<void> | null = null;
  private stopped = false;
  private readonly failures = new Map<string, number>();

  constructor(private readonly options: InboundConsumerOptions) {}

  /** Starts consuming on a fresh channel; dead letters go out over `deadLetters`. */
  async attach(
    channel: Channel,
    deadLetters: ConfirmChannel,
    onFailure: (error: unknown) => void,
  ): Promise<void> {
    if (this.stopped) return;
    const attachment: Attachment = { channel, deadLetters, onFailure, consumerTag: null };
    this.attachment = attachment;
    this.buffer = [];
    await channel.prefetch(this.options.prefetch);
    const { consumerTag } = await channel.consume(
      this.options.queue,
      (message) => this.receive(attachment, message),
      { noAck: false },
    );
    attachment.consumerTag = consumerTag;
  }

  /** The connection is gone: its unacked deliveries return to the queue by themselves. */
  detach(): void {
    this.attachment = null;
    this.buffer = [];
  }

  /** Stops taking deliveries and waits for the batch being stored to be committed and acked. */
  async stop(): Promise<void> {
    this.stopped = true;
    const attachment = this.attachment;
    if (attachment?.consumerTag != null) {
      await attachment.channel.cancel(attachment.consumerTag).catch(() => undefined);
    }
    this.buffer = [];
    await this.processing;
  }

  private receive(attachment: Attachment, message: ConsumeMessage | null): void {
    if (attachment !== this.attachment) return;
    if (message === null) {
      // The broker cancelled the consumer (queue deleted or moved): reconnect and declare again.
      attachment.onFailure(new Error(`the broker cancelled the consumer of ${this.options.queue}`));
      return;
    }
    if (this.stopped) return;
    this.buffer.push(message);
    this.schedule();
  }

  // Deliveries that arrive in the same socket read land in one batch: wait one turn before taking them.
  private schedule(): void {
    if (this.scheduled || this.processing !== null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.processing = this.drain().finally(() => {
        this.processing = null;
        if (this.buffer.length > 0) this.schedule();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0 && this.attachment !== null) {
      const attachment = this.attachment;
      // Half the prefetch window at most: while one half is stored, the broker already delivers
      // the other, instead of waiting for an ack to free the whole window.
      const batch = this.buffer.splice(0, Math.max(1, Math.ceil(this.options.prefetch / 2)));
      try {
        await this.handle(attachment, batch);
      } catch (error) {
        // A dead-letter publish or an ack on a closed channel: the link reconnects and the broker
        // redelivers whatever was not acked.
        attachment.onFailure(error);
      }
    }
  }

  private async handle(attachment: Attachment, batch: ConsumeMessage[]): Promise<void> {
    const { metrics, logger } = this.options;
    const done: ConsumeMessage[] = [];
    const retry: ConsumeMessage[] = [];
    const poison: Poison[] = [];
    const received: Member[] = [];
    for (const message of batch) {
      const decoded = decodeEventMessage(message);
      if (!decoded.ok) {
        poison.push({ message, reason: decoded.reason, attempts: 1 });
        continue;
      }
      const event = decoded.event;
      if (event.originSite === this.options.siteId) {
        // Our own capture, back from the hub queue: it is stored already.
        metrics.sync.inbound.inc({ outcome: 'duplicate' });
        done.push(message);
        continue;
      }
      received.push({ message, event });
    }
    const submitted = this.prepareAll(received, poison, retry);
    const members = submitted.flatMap((item) => item.members);

    const outcomes = await this.store(submitted);
    let storeFailure: unknown = null;
    let applied = 0;
    let duplicates = 0;
    outcomes.forEach((settled, i) => {
      const { message, event } = members[i]!;
      if (settled.status === 'fulfilled') {
        if (settled.value.kind === 'duplicate') duplicates++;
        else applied++;
        this.failures.delete(event.messageId);
        done.push(message);
        return;
      }
      if (isStoreFailure(settled.reason)) {
        storeFailure = settled.reason;
        retry.push(message);
      } else this.failed(message, event, settled.reason, poison, retry);
    });
    if (applied > 0) metrics.sync.inbound.inc({ outcome: 'applied' }, applied);
    if (duplicates > 0) metrics.sync.inbound.inc({ outcome: 'duplicate' }, duplicates);

    // In delivery order: undecodable messages are found before the prepared ones, whose failures
    // only show once a joined document falls back to preparing them alone.
    const position = new Map(batch.map((message, i) => [message, i]));
    poison.sort((a, b) => position.get(a.message)! - position.get(b.message)!);
    for (const item of poison) {
      await publishDeadLetter(attachment.deadLetters, this.options.deadLetterExchange, item.message, {
        reason: item.reason,
        queue: this.options.queue,
        attempts: item.attempts,
      });
      metrics.sync.inbound.inc({ outcome: 'dead_lettered' });
      logger.warn(
        { messageId: item.message.properties.messageId as unknown, reason: item.reason },
        'an inbound message can never be applied; moved it to the dead-letter queue',
      );
      done.push(item.message);
    }
    if (attachment !== this.attachment) return;
    if (storeFailure !== null) {
      logger.error(
        { error: describe(storeFailure) },
        'the store cannot write inbound events; requeueing them',
      );
      await new Promise((resolve) => setTimeout(resolve, this.options.storeRetryDelayMs ?? 1000));
      if (attachment !== this.attachment) return;
    }
    for (const message of retry) attachment.channel.nack(message, false, true);
    if (done.length > 0) {
      const last = done.reduce((a, b) => (b.fields.deliveryTag > a.fields.deliveryTag ? b : a));
      // Everything below `last` in this batch is settled: acked here, or nacked just above.
      attachment.channel.ack(last, true);
    }
  }

  /**
   * Prepares the received messages: those of the relay's shape that share an @context joined into
   * documents of up to MAX_JOINED events, one core call each; the others, and every message of a
   * joined document the core did not read as one event per message, alone.
   */
  private prepareAll(received: readonly Member[], poison: Poison[], retry: ConsumeMessage[]): Submitted[] {
    const submitted: Submitted[] = [];
    const alone: Member[] = [];
    const groups = new Map<string, { member: Member; parts: SyncedParts }[]>();
    const seen = new Set<string>();
    for (const member of received) {
      const parts = syncedParts(member.event.content);
      // A message delivered twice in one batch goes alone: a document repeating an eventID is refused.
      if (parts === null || seen.has(member.event.messageId)) {
        alone.push(member);
        continue;
      }
      seen.add(member.event.messageId);
      let group = groups.get(parts.context);
      if (group === undefined) groups.set(parts.context, (group = []));
      group.push({ member, parts });
    }
    for (const group of groups.values()) {
      for (let from = 0; from < group.length; from += MAX_JOINED) {
        const chunk = group.slice(from, from + MAX_JOINED);
        const joined = chunk.length > 1 ? this.prepareJoined(chunk) : null;
        if (joined === null) alone.push(...chunk.map((entry) => entry.member));
        else submitted.push(joined);
      }
    }
    for (const member of alone) {
      const item = this.prepareAlone(member, poison, retry);
      if (item !== null) submitted.push(item);
    }
    return submitted;
  }

  /** One core call for the chunk, or null when its members must be prepared alone. */
  private prepareJoined(chunk: readonly { member: Member; parts: SyncedParts }[]): Submitted | null {
    const { ingest } = this.options;
    const document = joinSynced(chunk.map((entry) => entry.parts));
    let batch: LocalBatch;
    try {
      batch = ingest.prepareHere(document.body);
    } catch {
      return null;
    }
    if (!checkJoined(batch.result, document.ranges)) {
      ingest.release(batch);
      return null;
    }
    const members = chunk.map((entry) => entry.member);
    batch.result.events.forEach((computed, i) => {
      if (computed.accepted) this.checkEventId(members[i]!.event, computed.eventId ?? computed.hashId);
    });
    return { members, batch };
  }

  private prepareAlone(member: Member, poison: Poison[], retry: ConsumeMessage[]): Submitted | null {
    const { ingest } = this.options;
    const { message, event } = member;
    let batch: LocalBatch;
    try {
      batch = ingest.prepareHere(event.content);
    } catch (error) {
      this.failed(message, event, error, poison, retry);
      return null;
    }
    const reason = unusable(batch.summary);
    if (reason !== null) {
      ingest.release(batch);
      poison.push({ message, reason, attempts: 1 });
      return null;
    }
    this.checkEventId(event, batch.summary.firstEventId);
    return { members: [member], batch };
  }

  private checkEventId(event: IncomingEvent, computed: string | null): void {
    if (computed === event.eventId) return;
    this.options.logger.warn(
      { header: event.eventId, computed, origin: event.originSite },
      'a synced event hashes to another event ID than its origin sent; storing the computed one',
    );
  }

  /**
   * Stores the prepared items as one write request (one savepoint: a savepoint per message cost
   * more than the rest of applying it); the outcomes come back one per member, in order. Should
   * that request fail for a reason other than the store itself, a message of the batch is at
   * fault: each is then prepared and stored alone, so only that one fails.
   */
  private async store(items: readonly Submitted[]): Promise<PromiseSettledResult<StoreOutcome>[]> {
    const { ingest } = this.options;
    const members = items.flatMap((item) => item.members);
    if (members.length === 0) return [];
    try {
      const outcomes = await ingest.store({
        items: items.map(({ members, batch }) => ({
          batch,
          stamp: this.stamp(members[0]!.event),
          ...(members.length > 1 ? { eventStamps: members.map((m) => this.stamp(m.event)) } : {}),
        })),
        mode: 'each',
      });
      return outcomes.flat().map((value) => ({ status: 'fulfilled', value }));
    } catch (error) {
      if (isStoreFailure(error) || members.length === 1) {
        return members.map(() => ({ status: 'rejected', reason: error }));
      }
    }
    // The failed request released every batch: prepare each message again and store it alone.
    const alone = members.map(async ({ event }) => {
      const batch = ingest.prepareHere(event.content);
      const stamp = this.stamp(event);
      const [outcomes] = await ingest.store({ items: [{ batch, stamp }], mode: 'each' });
      return outcomes![0]!;
    });
    return Promise.allSettled(alone);
  }

  /** Inbound events keep their origin's site and record time and never enter this site's outbox. */
  private stamp(event: IncomingEvent) {
    return {
      recordTimeMs: event.recordTimeMs,
      captureId: null,
      originSite: event.originSite,
      enqueueForSync: false,
    };
  }

  private failed(
    message: ConsumeMessage,
    event: IncomingEvent,
    error: unknown,
    poison: Poison[],
    retry: ConsumeMessage[],
  ): void {
    const attempts = (this.failures.get(event.messageId) ?? 0) + 1;
    if (attempts >= this.options.maxAttempts) {
      this.failures.delete(event.messageId);
      poison.push({ message, reason: `failed ${attempts} times: ${describe(error)}`, attempts });
      return;
    }
    if (this.failures.size >= MAX_TRACKED_FAILURES) this.failures.clear();
    this.failures.set(event.messageId, attempts);
    this.options.logger.warn(
      { messageId: event.messageId, attempts, error: describe(error) },
      'applying an inbound event failed; retrying',
    );
    retry.push(message);
  }
}
