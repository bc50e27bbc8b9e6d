// Sync, assembled: two supervised broker links (publish: the outbox relay; consume: the inbound
// consumer and its dead-letter channel), the topology they declare at every connect, and what
// /health/sync and /metrics report. With sync off it still reports (enabled: false) and the outbox
// keeps growing, so turning sync on later publishes everything captured meanwhile.
import type { Database } from 'better-sqlite3';
import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { TrackerCore } from '../core/gateway.js';
import type { IngestPipeline } from '../ingest/ingest-pipeline.js';
import type { Metrics } from '../metrics/metrics.js';
import type { GroupCommitter } from '../store/group-committer.js';
import { Outbox } from '../store/outbox.js';
import { AmqpLink, LINK_STATES, type LinkState } from './amqp-link.js';
import { type BrokerAccess, brokerAccess } from './broker-access.js';
import { InboundConsumer } from './inbound-consumer.js';
import { OutboxRelay } from './outbox-relay.js';
import { SiteRoutes } from './site-routes.js';
import { buildSyncReport, type LinkReport, type SyncReport } from './sync-report.js';
import { declareTopology, type SyncNames, syncNames } from './topology.js';

export interface SyncRuntimeDeps {
  config: Readonly<Config>;
  db: Database;
  core: TrackerCore;
  committer: GroupCommitter;
  /** The one ingest path; the inbound consumer stores what it receives through it. */
  ingest: IngestPipeline;
  metrics: Metrics;
  logger: Logger;
}

export interface SyncRuntime {
  readonly enabled: boolean;
  readonly names: SyncNames;
  /** Connects and starts relaying and consuming; call once the state index is rebuilt. */
  start(): void;
  /** Call after every group commit: new outbox rows are published without waiting for sync_interval. */
  notifyCommitted(): void;
  /** What GET /health/sync answers. */
  report(): SyncReport;
  /** Sets the gauges that are computed on demand (outbox depth and age, lag); called before /metrics renders. */
  refreshMetrics(): void;
  /** Stops consuming (finishing the batch being stored) and publishing (awaiting in-flight confirms), then disconnects. */
  stop(): Promise<void>;
}

export function createSyncRuntime(deps: SyncRuntimeDeps): SyncRuntime {
  const { config, logger, metrics } = deps;
  const outbox = new Outbox(deps.db);
  const names = syncNames(config.syncNamespace);
  if (!config.syncEnabled) return disabledRuntime(config, names, outbox, metrics);
  // Built at start, so a wrong secret path or routes file stops the service with a ConfigError.
  const broker = brokerAccess(config);
  const routes =
    config.siteRoutesFile === null
      ? SiteRoutes.empty()
      : SiteRoutes.fromFile(config.siteRoutesFile, deps.core);
  const log = logger.child({ component: 'sync', role: config.role, site: config.siteId });
  const queue = config.role === 'hub' ? names.hubQueue : names.siteQueue(config.siteId);
  const declaredSites = config.role === 'hub' ? routes.sites() : [config.siteId, ...routes.sites()];

  const relay = new OutboxRelay({
    outbox,
    markSent: async (seqs, sentMs) => {
      await deps.committer.submit({
        events: [],
        mode: 'each',
        beforeCommit: () => void outbox.markSent(seqs, sentMs),
      });
    },
    routes,
    exchange: names.exchange,
    metrics: metrics.sync,
    logger: log,
    batchSize: config.syncPublishBatch,
    window: config.syncPublishWindow,
    intervalMs: config.syncIntervalMs,
  });
  const consumer = new InboundConsumer({
    ingest: deps.ingest,
    metrics,
    logger: log,
    siteId: config.siteId,
    queue,
    deadLetterExchange: names.deadLetterExchange,
    prefetch: config.syncPrefetch,
    maxAttempts: config.syncMaxAttempts,
  });

  const publishLink: AmqpLink = newLink('publish', broker, log, metrics, config, {
    onUp: async (model) => {
      const channel = await model.createConfirmChannel();
      watchChannel(channel, publishLink, model);
      await declareTopology(channel, names, declaredSites);
      relay.attach(channel, (error) => publishLink.fail(error, model));
    },
    onDown: () => relay.detach(),
    onBlocked: (blocked) => relay.setBlocked(blocked),
  });
  const consumeLink: AmqpLink = newLink('consume', broker, log, metrics, config, {
    onUp: async (model) => {
      const channel = await model.createChannel();
      watchChannel(channel, consumeLink, model);
      await declareTopology(channel, names, declaredSites);
      const deadLetters = await model.createConfirmChannel();
      watchChannel(deadLetters, consumeLink, model);
      await consumer.attach(channel, deadLetters, (error) => consumeLink.fail(error, model));
    },
    onDown: () => consumer.detach(),
  });

  let started = false;
  const links = { publish: publishLink, consume: consumeLink };
  const linkReport = (link: AmqpLink): LinkReport => ({
    state: link.state,
    connectedAtMs: link.connectedAtMs,
    lastError: link.lastError,
  });
  return {
    enabled: true,
    names,
    start() {
      if (started) return;
      started = true;
      log.info({ broker: broker.describe(), queue, namespace: config.syncNamespace }, 'sync starting');
      relay.start();
      publishLink.start();
      consumeLink.start();
    },
    notifyCommitted: () => relay.notify(),
    report: () =>
      buildSyncReport({
        config,
        queue,
        broker: broker.describe(),
        outbox,
        links: { publish: linkReport(links.publish), consume: linkReport(links.consume) },
        newestConfirmedRecordTimeMs: relay.newestConfirmedRecordTimeMs,
      }),
    refreshMetrics: () => refreshOutboxGauges(outbox, metrics.sync, relay.newestConfirmedRecordTimeMs),
    async stop() {
      await consumer.stop();
      await relay.stop();
      await Promise.all([consumeLink.stop(), publishLink.stop()]);
    },
  };
}

function newLink(
  name: 'publish' | 'consume',
  broker: BrokerAccess,
  logger: Logger,
  metrics: Metrics,
  config: Readonly<Config>,
  handlers: {
    onUp: (model: ChannelModel) => Promise<void>;
    onDown: () => void;
    onBlocked?: (blocked: boolean) => void;
  },
): AmqpLink {
  const setState = (state: LinkState) => {
    for (const candidate of LINK_STATES) {
      metrics.sync.connectionState.set({ link: name, state: candidate }, candidate === state ? 1 : 0);
    }
  };
  setState('idle');
  return new AmqpLink({
    name,
    broker,
    logger,
    clientName: `edgetrace ${config.role} ${config.siteId} ${name}`,
    onStateChange: setState,
    onReconnect: () => metrics.sync.reconnects.inc({ link: name }),
    ...handlers,
  });
}

/** A channel that closes or errors on its own takes its connection down with it (see AmqpLink.fail). */
function watchChannel(channel: NodeJS.EventEmitter, link: AmqpLink, model: ChannelModel): void {
  channel.on('error', (error: unknown) => link.fail(error, model));
  channel.on('close', () => link.fail(new Error('channel closed'), model));
}

function refreshOutboxGauges(outbox: Outbox, metrics: Metrics['sync'], newestConfirmed: number | null): void {
  const nowMs = Date.now();
  const depth = outbox.depth();
  const oldest = outbox.oldestUnsentMs();
  metrics.outboxDepth.set(depth);
  metrics.outboxOldestAge.set(oldest === null ? 0 : Math.max(0, nowMs - oldest) / 1000);
  const since = newestConfirmed ?? oldest;
  metrics.lag.set(depth === 0 || since === null ? 0 : Math.max(0, nowMs - since) / 1000);
}

function disabledRuntime(
  config: Readonly<Config>,
  names: SyncNames,
  outbox: Outbox,
  metrics: Metrics,
): SyncRuntime {
  const idle: LinkReport = { state: 'idle', connectedAtMs: null, lastError: null };
  return {
    enabled: false,
    names,
    start: () => undefined,
    notifyCommitted: () => undefined,
    report: () =>
      buildSyncReport({
        config,
        queue: null,
        broker: null,
        outbox,
        links: { publish: idle, consume: idle },
        newestConfirmedRecordTimeMs: null,
      }),
    refreshMetrics: () => refreshOutboxGauges(outbox, metrics.sync, null),
    stop: () => Promise.resolve(),
  };
}
