// Runs every webhook subscription: one SubscriptionRunner each, started from SQLite when the service
// is ready (so subscriptions survive restarts and resume at their stored positions), added and
// stopped as clients subscribe and unsubscribe, all stopped before the database closes.
import type { Logger } from 'pino';
import type { IdentifierCanon } from '../query/event-query.js';
import type { NamedQueryStore } from './named-query-store.js';
import { parseQueryBody } from './query-body.js';
import type { BackoffPolicy } from './retry-backoff.js';
import { parseSchedule } from './schedule.js';
import { subscriptionQuery } from './subscription-reader.js';
import { type RunnerDeps, SubscriptionRunner } from './subscription-runner.js';
import type { Subscription } from './subscription-store.js';

export interface WebhookOptions {
  /** Longest wait for a receiver's answer before the attempt counts as failed. */
  timeoutMs: number;
  backoff: BackoffPolicy;
  /** Most events per delivery; a longer backlog follows at once in further deliveries. */
  batchLimit: number;
  /** Most bytes of stored events per delivery (beyond the first event), so a backlog of large events is not read whole. */
  batchBytes: number;
}

export type WebhookWorkerDeps = Omit<
  RunnerDeps,
  'timeoutMs' | 'backoff' | 'batchLimit' | 'batchBytes' | 'random' | 'logger'
> & {
  queries: NamedQueryStore;
  canon: IdentifierCanon;
  logger: Logger;
  options: WebhookOptions;
  random?: () => number;
};

export class WebhookWorker {
  private readonly runners = new Map<string, SubscriptionRunner>();
  private started = false;

  constructor(private readonly deps: WebhookWorkerDeps) {}

  /** Starts every stored subscription; call once the store is ready (state rebuilt). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const subscriptions = this.deps.store.all();
    for (const subscription of subscriptions) this.launch(subscription);
    if (subscriptions.length > 0)
      this.deps.logger.info({ subscriptions: subscriptions.length }, 'webhook subscriptions resumed');
  }

  /** Starts delivering a subscription just stored (a no-op before start(): start() will pick it up). */
  launch(subscription: Subscription): void {
    if (!this.started || this.runners.has(subscription.subscriptionId)) return;
    const { deps } = this;
    const stored = deps.queries.get(subscription.queryName);
    const parsed = stored === null ? null : parseQueryBody(JSON.parse(stored.queryJson), deps.canon);
    const cron = subscription.schedule === null ? null : parseSchedule(subscription.schedule, 'schedule');
    if (parsed === null || !parsed.ok || (cron !== null && !cron.ok)) {
      deps.logger.error(
        { subscriptionID: subscription.subscriptionId, query: subscription.queryName },
        'cannot run a stored subscription: its named query is gone or no longer parses',
      );
      return;
    }
    const runner = new SubscriptionRunner(
      subscription,
      subscriptionQuery(parsed.query),
      cron?.ok ? cron.cron : null,
      {
        ...deps,
        timeoutMs: deps.options.timeoutMs,
        backoff: deps.options.backoff,
        batchLimit: deps.options.batchLimit,
        batchBytes: deps.options.batchBytes,
        random: deps.random ?? Math.random,
      },
    );
    this.runners.set(subscription.subscriptionId, runner);
    this.updateGauge();
    void runner.finished.then(() => {
      if (this.runners.get(subscription.subscriptionId) === runner)
        this.runners.delete(subscription.subscriptionId);
      this.updateGauge();
    });
  }

  /** Stops one subscription's deliveries (its row is deleted by the caller). */
  async stopSubscription(subscriptionId: string): Promise<void> {
    await this.runners.get(subscriptionId)?.stop();
  }

  /** Stops every subscription of a named query. */
  async stopQuery(queryName: string): Promise<void> {
    const stopping = [...this.runners.values()].filter((r) => r.subscription.queryName === queryName);
    await Promise.all(stopping.map((r) => r.stop()));
  }

  /** Stops all deliveries; unacknowledged ones are sent again after the next start. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.runners.values()].map((r) => r.stop(false)));
  }

  private updateGauge(): void {
    this.deps.metrics.subscriptions.active.set({ transport: 'webhook' }, this.runners.size);
  }
}
