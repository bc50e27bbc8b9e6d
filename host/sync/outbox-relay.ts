// The outbox relay: publishes the outbox in seq order over a confirm channel and marks rows sent
// only after the broker confirmed them. Several batches are in flight at once (a window), so the
// relay runs at the broker's confirm throughput rather than one round trip per batch; batches are
// marked sent strictly in order. A new commit wakes it at once (notify), the sync_interval timer
// flushes whatever an idle period left behind. On a lost channel the in-flight batches are
// forgotten and the next connection resumes from the first unconfirmed row: a message may be
// published twice (the consumers deduplicate), never skipped.
import type { ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { encodeEventMessage } from './event-message.js';
import type { SiteRoutes } from './site-routes.js';

export interface OutboxRelayOptions {
  outbox: Outbox;
  /**
   * Marks confirmed rows sent. The runtime passes one that rides on the next group commit, so
   * under load marking costs no fsync of its own; a rejection leaves the rows unsent (they are
   * published again later, and deduplicated downstream).
   */
  markSent: (seqs: number[], sentMs: number) => Promise<void>;
  routes: SiteRoutes;
  exchange: string;
  metrics: Metrics['sync'];
  logger: Logger;
  batchSize: number;
  /** Most unconfirmed messages in flight, counted in batches of batchSize. */
  window: number;
  intervalMs: number;
  now?: () => number;
}

interface InFlightBatch {
  seqs: number[];
  newestRecordTimeMs: number;
  recordTimesMs: number[];
  pending: number;
  nacked: number;
}

interface Attachment {
  channel: ConfirmChannel;
  onFailure: (error: unknown) => void;
}

export class OutboxRelay {
  private attachment: Attachment | null = null;
  private inFlight: InFlightBatch[] = [];
  /** Highest seq handed to the channel on this attachment; 0 re-reads from the first unsent row. */
  private cursor = 0;
  private rewindPending = false;
  private blocked = false;
  private pumping = false;
  private wakeAgain = false;
  private waitingForDrain = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private next: NodeJS.Immediate | null = null;
  private inFlightCount = 0;
  /** Confirmed seqs waiting to be marked; one mark request at a time carries all that gathered. */
  private confirmedSeqs: number[] = [];
  private marking: Promise<void> | null = null;
  private newestConfirmedRecordMs: number | null = null;
  private readonly now: () => number;
  private idle: (() => void) | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts the idle-flush timer. */
  start(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setInterval(() => this.notify(), Math.max(10, this.options.intervalMs));
    this.timer.unref();
  }

  /** A confirm channel is ready: publish from the first unconfirmed row. */
  attach(channel: ConfirmChannel, onFailure: (error: unknown) => void): void {
    this.attachment = { channel, onFailure };
    this.inFlight = [];
    this.inFlightCount = 0;
    this.cursor = 0;
    this.rewindPending = false;
    this.waitingForDrain = false;
    this.blocked = false;
    channel.on('drain', () => {
      this.waitingForDrain = false;
      this.notify();
    });
    this.notify();
  }

  /** The channel or connection is gone; whatever it had in flight is unconfirmed and will be published again. */
  detach(): void {
    this.attachment = null;
    this.inFlight = [];
    this.inFlightCount = 0;
    this.cursor = 0;
    this.settleIdle();
  }

  setBlocked(blocked: boolean): void {
    this.blocked = blocked;
    if (!blocked) this.notify();
  }

  /** New rows may be in the outbox: publish them now. */
  notify(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.wakeAgain = true;
      return;
    }
    this.pump();
  }

  /** Record time of the newest event the broker confirmed (this process), for the lag gauge. */
  get newestConfirmedRecordTimeMs(): number | null {
    return this.newestConfirmedRecordMs;
  }

  get inFlightMessages(): number {
    return this.inFlight.reduce((sum, batch) => sum + batch.pending, 0);
  }

  /** Stops publishing and waits (up to `timeoutMs`) for the confirms of what is in flight. */
  async stop(timeoutMs = 2000): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.next !== null) clearImmediate(this.next);
    this.next = null;
    const confirmsPending = this.inFlight.length > 0 && this.attachment !== null;
    if (confirmsPending || this.marking !== null || this.confirmedSeqs.length > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Confirms that did not come in time stay unmarked; closing the channel then fails their
    // callbacks, which must not count as broker nacks.
    this.attachment = null;
    this.inFlight = [];
    this.inFlightCount = 0;
  }

  private settleIdle(): void {
    if (this.inFlight.length > 0 && this.attachment !== null) return;
    if (this.marking !== null || this.confirmedSeqs.length > 0) return;
    const idle = this.idle;
    this.idle = null;
    idle?.();
  }

  // One batch per event-loop turn: a large backlog drains at full speed while captures and
  // queries still get their turns in between, instead of waiting behind a whole window of batches.
  private pump(): void {
    this.pumping = true;
    let published = false;
    try {
      this.wakeAgain = false;
      if (this.canPublish()) {
        const entries = this.options.outbox.unsentAfter(this.cursor, this.options.batchSize);
        if (entries.length > 0) {
          this.publishBatch(this.attachment!, entries);
          published = true;
        }
      }
    } catch (error) {
      // A publish that throws (channel closed under us, an oversized header table) is a channel
      // failure: the link reconnects and everything unconfirmed is published again.
      this.attachment?.onFailure(error);
    } finally {
      this.pumping = false;
    }
    if (published || this.wakeAgain) this.pumpNextTurn();
  }

  private pumpNextTurn(): void {
    this.next ??= setImmediate(() => {
      this.next = null;
      this.notify();
    });
  }

  private canPublish(): boolean {
    if (this.stopped || this.attachment === null || this.blocked || this.waitingForDrain) return false;
    if (this.rewindPending) {
      if (this.inFlight.length > 0) return false;
      this.rewindPending = false;
      this.cursor = 0;
    }
    return this.inFlightCount < this.options.window * this.options.batchSize;
  }

  private publishBatch(attachment: Attachment, entries: OutboxEntry[]): void {
    const { channel } = attachment;
    const batch: InFlightBatch = {
      seqs: entries.map((e) => e.seq),
      newestRecordTimeMs: entries.reduce((newest, e) => Math.max(newest, e.recordTimeMs), 0),
      recordTimesMs: entries.map((e) => e.recordTimeMs),
      pending: entries.length,
      nacked: 0,
    };
    this.inFlight.push(batch);
    this.inFlightCount += entries.length;
    this.cursor = batch.seqs[batch.seqs.length - 1]!;
    const onConfirm = (error: unknown) => {
      if (this.attachment !== attachment) return;
      if (error !== null && error !== undefined) batch.nacked++;
      if (--batch.pending === 0) this.completeBatches();
    };
    let writable = true;
    for (const entry of entries) {
      const message = encodeEventMessage(entry, this.options.routes.sitesFor(entry));
      writable = channel.publish(
        this.options.exchange,
        message.routingKey,
        message.content,
        message.options,
        onConfirm,
      );
    }
    this.options.metrics.published.inc(entries.length);
    if (!writable) this.waitingForDrain = true;
  }

  /** Marks sent every fully confirmed batch at the head of the window, in order. */
  private completeBatches(): void {
    const { metrics } = this.options;
    const nowMs = this.now();
    while (this.inFlight.length > 0 && this.inFlight[0]!.pending === 0) {
      const batch = this.inFlight.shift()!;
      this.inFlightCount -= batch.seqs.length;
      if (batch.nacked > 0) {
        // The broker refused some of this batch (its internal error). Nothing of it is marked: the
        // whole batch goes again once the window is empty, in order; the rest is deduplicated downstream.
        metrics.nacked.inc(batch.nacked);
        metrics.confirmed.inc(batch.seqs.length - batch.nacked);
        this.rewindPending = true;
        this.options.logger.warn(
          { nacked: batch.nacked },
          'the broker refused published events; publishing them again',
        );
        continue;
      }
      for (const seq of batch.seqs) this.confirmedSeqs.push(seq);
      metrics.confirmed.inc(batch.seqs.length);
      for (const recordTimeMs of batch.recordTimesMs) {
        metrics.confirmLatency.observe(Math.max(0, nowMs - recordTimeMs) / 1000);
      }
      this.newestConfirmedRecordMs = Math.max(this.newestConfirmedRecordMs ?? 0, batch.newestRecordTimeMs);
    }
    this.markConfirmed();
    this.settleIdle();
    this.notify();
  }

  private markConfirmed(): void {
    if (this.marking !== null || this.confirmedSeqs.length === 0) return;
    const seqs = this.confirmedSeqs;
    this.confirmedSeqs = [];
    this.marking = this.options
      .markSent(seqs, this.now())
      .catch((error: unknown) =>
        this.options.logger.warn(
          { rows: seqs.length, error: error instanceof Error ? error.message : String(error) },
          'could not mark confirmed outbox rows sent; they will be published again',
        ),
      )
      .finally(() => {
        this.marking = null;
        this.markConfirmed();
        this.settleIdle();
      });
  }
}
