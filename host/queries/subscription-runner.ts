// Delivers one webhook subscription: a stream (the live feed pushes each batch of new matching
// events) or a schedule (at each firing, everything new, in batches). Each batch is POSTed until the
// receiver answers 2xx — retried with backoff while it is down or slow — and only then is the
// position advanced, in the same statement that records the delivery; the delivery counts as done
// once that is committed (through the write queue, so never on SQLite's lock). The next batch waits
// for the current one, so events arrive in seq order, each once: a delivery is re-sent only when the
// receiver did not acknowledge it (e.g. it timed out), as identical bytes.
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { EpcFormat } from '../http/epc-format.js';
import type { Metrics } from '../metrics/metrics.js';
import type { EventQuery, StoredEventRow } from '../query/event-query.js';
import { deliveryDocument } from './delivery-document.js';
import type { DestinationPolicy } from './destination-policy.js';
import type { EventFeedPort, FeedSubscriptionHandle } from './feed-port.js';
import { type BackoffPolicy, retryDelayMs } from './retry-backoff.js';
import { nextFiringMs } from './schedule.js';
import { type DeliveryPosition, readNextBatch } from './subscription-reader.js';
import type { Subscription, SubscriptionStore } from './subscription-store.js';
import { postDelivery } from './webhook-delivery.js';

export interface RunnerDeps {
  db: Database;
  store: SubscriptionStore;
  feed: EventFeedPort;
  toDigitalLink: (id: string) => string;
  metrics: Metrics;
  logger: Logger;
  timeoutMs: number;
  backoff: BackoffPolicy;
  batchLimit: number;
  /** Byte bound of a catch-up batch (live batches are bounded by the feed itself). */
  batchBytes: number;
  random: () => number;
  /** Where deliveries may connect to (checked again at every connect). */
  destinations: DestinationPolicy;
}

// setTimeout cannot wait longer than 2^31 − 1 ms; a monthly schedule waits in steps.
const LONGEST_WAIT_MS = 60 * 60 * 1000;

export class SubscriptionRunner {
  private readonly aborter = new AbortController();
  private readonly requestAborter = new AbortController();
  private readonly position: DeliveryPosition;
  private feedSubscription: FeedSubscriptionHandle | null = null;
  private failures: number;
  /** Settles when the runner has stopped (after stop(), or when its subscription disappeared). */
  readonly finished: Promise<void>;

  constructor(
    readonly subscription: Subscription,
    private readonly query: EventQuery,
    private readonly cron: string | null,
    private readonly deps: RunnerDeps,
  ) {
    this.position = {
      deliveredSeq: subscription.deliveredSeq,
      catchUpSeq: subscription.catchUpSeq,
      initialRecordTimeMs: subscription.initialRecordTimeMs,
    };
    this.failures = subscription.failedAttempts;
    this.finished = this.run().catch((error: unknown) => {
      deps.logger.error(
        { err: error, subscriptionID: subscription.subscriptionId },
        'subscription runner failed',
      );
    });
  }

  /**
   * Stops delivering. `cancelInFlight` (the subscription was deleted) aborts an attempt in flight;
   * otherwise (shutdown) that attempt may finish — within the delivery timeout — and be recorded,
   * so a receiver that did get it is not sent it again after the restart.
   */
  stop(cancelInFlight = true): Promise<void> {
    this.aborter.abort();
    if (cancelInFlight) this.requestAborter.abort();
    this.feedSubscription?.close();
    return this.finished;
  }

  private get stopped(): boolean {
    return this.aborter.signal.aborted;
  }

  private async run(): Promise<void> {
    // A restart in the middle of a retry series waits out the backoff it had scheduled.
    const resumeAt = this.subscription.nextAttemptMs;
    if (resumeAt !== null) await this.sleepUntil(resumeAt);
    if (this.cron === null) await this.runStream();
    else await this.runSchedule(this.cron);
  }

  private async runStream(): Promise<void> {
    // Events stored before the subscription existed are read here; the feed takes over after them.
    while (!this.stopped && this.position.deliveredSeq < this.position.catchUpSeq) {
      if ((await this.deliverNext()) === null) return;
    }
    if (this.stopped) return;
    this.feedSubscription = this.deps.feed.subscribe(
      this.query,
      this.position.deliveredSeq,
      (rows, lastSeq) => this.deliverFeedBatch(rows, lastSeq),
      {
        batchLimit: this.deps.batchLimit,
        onEnd: (reason) => {
          // The feed gave up on this subscription (not our own close): stop; the stored position
          // stays where the last acknowledgement put it, and the next start resumes from there.
          if (reason !== 'feed-closed') {
            this.deps.logger.error(
              { subscriptionID: this.subscription.subscriptionId, reason },
              'live feed ended a webhook subscription',
            );
          }
          void this.stop(false);
        },
      },
    );
    if (!this.stopped) {
      await new Promise<void>((resolve) =>
        this.aborter.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
  }

  private async deliverFeedBatch(rows: StoredEventRow[], lastSeq: number): Promise<void> {
    if (this.stopped) return;
    const fresh = rows.filter((row) => row.seq > this.position.deliveredSeq);
    const throughSeq = Math.max(lastSeq, fresh.at(-1)?.seq ?? 0);
    if (fresh.length === 0) await this.advance(throughSeq);
    // The subscription was deleted while this batch was in flight: nothing more to deliver.
    else if (!(await this.deliver(fresh, throughSeq)) && !this.stopped) void this.stop();
  }

  private async runSchedule(cron: string): Promise<void> {
    while (!this.stopped) {
      await this.sleepUntil(nextFiringMs(cron, Date.now()));
      if (this.stopped) return;
      const headAtFiring = this.deps.feed.headSeq();
      let reported = false;
      // Everything stored by the firing, in batches; later events wait for the next firing.
      do {
        const sent = await this.deliverNext();
        if (sent === null) return;
        reported ||= sent;
      } while (!this.stopped && this.position.deliveredSeq < headAtFiring);
      // reportIfEmpty: a firing that found nothing new still tells the receiver so.
      if (
        !reported &&
        this.subscription.reportIfEmpty &&
        !(await this.deliver([], this.position.deliveredSeq))
      ) {
        return;
      }
    }
  }

  /** Reads the next batch and delivers it if it holds events: whether it did, or null when it must stop. */
  private async deliverNext(): Promise<boolean | null> {
    const batch = readNextBatch(
      this.deps.db,
      this.query,
      this.position,
      this.deps.batchLimit,
      () => this.deps.feed.headSeq(),
      this.deps.batchBytes,
    );
    if (batch.rows.length === 0) {
      await this.advance(batch.throughSeq);
      return false;
    }
    return (await this.deliver(batch.rows, batch.throughSeq)) ? true : null;
  }

  /** Positions move past events that do not match without a delivery, so a restart does not rescan them. */
  private async advance(throughSeq: number): Promise<void> {
    if (throughSeq <= this.position.deliveredSeq) return;
    this.position.deliveredSeq = throughSeq;
    await this.deps.store.advance(this.subscription.subscriptionId, throughSeq);
  }

  /** POSTs one batch until acknowledged; false when stopped first or the subscription is gone. */
  private async deliver(rows: StoredEventRow[], throughSeq: number): Promise<boolean> {
    const { subscription, deps } = this;
    const body = Buffer.from(
      JSON.stringify(
        deliveryDocument(
          subscription.queryName,
          subscription.subscriptionId,
          rows,
          subscription.epcFormat as EpcFormat,
          deps.toDigitalLink,
        ),
      ),
    );
    while (!this.stopped) {
      const outcome = await postDelivery({
        dest: subscription.dest,
        body,
        signatureToken: subscription.signatureToken,
        timeoutMs: deps.timeoutMs,
        signal: this.requestAborter.signal,
        destinations: deps.destinations,
      });
      if (outcome.ok) {
        deps.metrics.subscriptions.deliveries.inc({ outcome: 'success' });
        deps.metrics.subscriptions.events.inc({ transport: 'webhook' }, rows.length);
        this.failures = 0;
        this.position.deliveredSeq = Math.max(this.position.deliveredSeq, throughSeq);
        return await deps.store.recordDelivered(subscription.subscriptionId, throughSeq, Date.now());
      }
      if (this.stopped) return false;
      this.failures += 1;
      const delayMs = retryDelayMs(this.failures, deps.backoff, deps.random());
      deps.metrics.subscriptions.deliveries.inc({ outcome: 'failure' });
      await deps.store.recordFailure(subscription.subscriptionId, Date.now() + delayMs, outcome.reason);
      deps.logger.warn(
        {
          subscriptionID: subscription.subscriptionId,
          reason: outcome.reason,
          failures: this.failures,
          retryInMs: delayMs,
        },
        'webhook delivery failed; will retry',
      );
      await this.sleepUntil(Date.now() + delayMs);
      if (!this.stopped) deps.metrics.subscriptions.retries.inc();
    }
    return false;
  }

  /** Waits until `ms` or until stopped, whichever is first. */
  private async sleepUntil(ms: number): Promise<void> {
    while (!this.stopped && Date.now() < ms) {
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(
          () => {
            this.aborter.signal.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.min(ms - Date.now(), LONGEST_WAIT_MS),
        );
        timer.unref();
        this.aborter.signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
