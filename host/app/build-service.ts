// Wires the service's components from a configuration: SQLite store, tracker.wasm core, capture
// service, metrics, readiness and the HTTP app. host/main.ts uses it to run the service; tests use
// it to get the very same service in-process.
import type { Database } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticate.js';
import { CaptureService } from '../capture/capture-service.js';
import type { Config } from '../config/config.js';
import { TrackerCore } from '../core/gateway.js';
import { closeHttpServer } from '../lifecycle/close-http-server.js';
import { EventFeed } from '../live/event-feed.js';
import { Readiness } from '../lifecycle/readiness.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { RebuildProgress } from '../state/rebuild-state.js';
import {
  loadSnapshot,
  replayAfter,
  startStateNow,
  type StateStartDeps,
} from '../state-snapshot/state-start.js';
import { StartUpReads } from '../store/start-up-reads.js';
import { CaptureJobs } from '../store/capture-jobs.js';
import { EventReader } from '../store/event-reader.js';
import { EventWriter } from '../store/event-writer.js';
import { GroupCommitter } from '../store/group-committer.js';
import { WalCheckpointer, WAL_CHECKPOINT_INTERVAL_MS } from '../store/wal-checkpointer.js';
import { IngestPipeline } from '../ingest/ingest-pipeline.js';
import { IngestWorker } from '../ingest/ingest-worker-client.js';
import { IngestWorkerPool } from '../ingest/ingest-worker-pool.js';
import { openDatabase, WAL_BACKSTOP_PAGES } from '../store/open-database.js';
import { createIdentifierCanon } from '../http/identifier-canon.js';
import { definitionCanon } from '../queries/definition-canon.js';
import { DestinationPolicy } from '../queries/destination-policy.js';
import { NamedQueries } from '../queries/named-queries.js';
import { NamedQueryStore } from '../queries/named-query-store.js';
import { DEFAULT_BACKOFF } from '../queries/retry-backoff.js';
import { SubscriptionStore } from '../queries/subscription-store.js';
import { WebhookWorker } from '../queries/webhook-worker.js';
import { createSyncRuntime, type SyncRuntime } from '../sync/sync-runtime.js';
import { installJournalSeqHook } from '../journal/journal-seq-hook.js';
import { JournalPositionStore } from '../journal/journal-position.js';
import { JournalTail } from '../journal/journal-tail.js';
import { InboundWriter } from '../journal/inbound-writer.js';
import { SeqWaiter } from '../journal/seq-waiter.js';
import { SnapshotWriter } from '../journal/snapshot-writer.js';
import { sidecarSnapshots, storeSnapshots } from '../journal/snapshot-files.js';
import { DuplicateKeyReader } from '../store/duplicate-keys.js';
import { createApp } from './create-app.js';

export interface ServiceOptions {
  logger: Logger;
  authenticator: Authenticator | null;
  pageTokenSecret: Uint8Array;
}

export interface Service {
  app: FastifyInstance;
  db: Database;
  /** Every write on db goes through it; runExclusive() is how another connection writes meanwhile. */
  committer: GroupCommitter;
  core: TrackerCore;
  metrics: Metrics;
  readiness: Readiness;
  /** The live feed of stored events (GET /events/stream and stream subscriptions subscribe to it). */
  feed: EventFeed;
  /** Outbox relay and inbound consumer (RabbitMQ); started by rebuildState(), reports even when sync is off. */
  sync: SyncRuntime;
  /** Replays the store into the state index (when tracking is on); /ready turns green after it. */
  rebuildState(): Promise<RebuildProgress>;
  /** Stops HTTP, lets pending group commits finish, closes the database; in that order. */
  closeSteps: readonly { name: string; close: () => Promise<void> | void }[];
}

export async function buildService(config: Readonly<Config>, options: ServiceOptions): Promise<Service> {
  const { logger } = options;
  const readiness = new Readiness();
  const metrics = createMetrics();
  // Checkpoints run on a thread of their own (WalCheckpointer); the request connections' commits
  // checkpoint only if it falls behind. A memory database has no WAL.
  const walAutocheckpointPages = config.databaseFile === ':memory:' ? undefined : WAL_BACKSTOP_PAGES;
  const db = openDatabase({
    path: config.databaseFile,
    synchronous: config.sqliteSynchronous,
    walAutocheckpointPages,
  });
  const checkpointer =
    walAutocheckpointPages === undefined
      ? null
      : new WalCheckpointer({
          databaseFile: config.databaseFile,
          synchronous: config.sqliteSynchronous,
          intervalMs: WAL_CHECKPOINT_INTERVAL_MS,
          onError: (message) =>
            logger.warn({ err: message }, 'WAL checkpoint failed; the next commit retries'),
        });
  readiness.databaseOpen = true;
  const reader = new EventReader(db);
  const startUpReads = new StartUpReads(db);
  // The sidecar's snapshots serve tracker-server.wasm and this host; otherwise the service's own. A
  // memory database (tests) cannot outlive the process: no snapshots.
  const snapshotPlace = config.journalTail
    ? sidecarSnapshots(config.dataDir)
    : storeSnapshots(config.dataDir);
  const withSnapshots = config.trackingEnabled && config.databaseFile !== ':memory:';
  const stateStart = (fresh: TrackerCore): StateStartDeps => ({
    core: fresh,
    reader,
    reads: startUpReads,
    place: snapshotPlace,
    deleteRefused: !config.journalTail,
    logger,
    onRefused: (reason) => metrics.core.snapshotsRefused.inc({ reason }),
  });
  const core = await TrackerCore.load({
    limits: { maxDocumentBytes: config.captureLimitBytes, maxEvents: config.captureLimitEvents },
    onInstanceReplaced: (fresh) => {
      metrics.core.traps.inc();
      const events = config.trackingEnabled ? startStateNow(stateStart(fresh)).events : 0;
      logger.error(
        { events },
        'tracker.wasm trapped; replaced the instance and rebuilt its state from the store',
      );
    },
  });
  readiness.coreLoaded = true;
  // Before the service listens: no capture is pending in the core when the restore replaces its index.
  const loaded = withSnapshots ? loadSnapshot(stateStart(core)) : { position: null, ms: 0 };

  const feed = new EventFeed({ db, logger, metrics: metrics.live, batchBytes: config.liveBatchBytes });
  const committer = new GroupCommitter(db, new EventWriter(db), {
    maxBatchEvents: Math.max(config.captureLimitEvents, 10_000),
    onCommit: (info) => {
      metrics.sqlite.commitDuration.observe(info.durationMs / 1000);
      metrics.sqlite.commitEvents.observe(info.events);
      feed.notifyCommitted();
      checkpointer?.notifyCommitted();
      sync.notifyCommitted();
    },
  });
  const jobs = new CaptureJobs(db);
  // A worker thread needs its own connection to the same file; a memory database (tests) has none.
  const ingestWorker =
    config.databaseFile === ':memory:'
      ? null
      : new IngestWorkerPool(
          Array.from(
            { length: config.captureWorkers },
            () =>
              new IngestWorker({
                databaseFile: config.databaseFile,
                synchronous: config.sqliteSynchronous,
                walAutocheckpointPages,
                limits: core.limits,
                recordInbound: config.journalTail,
              }),
          ),
        );
  // Sidecar of tracker-server.wasm: what it stores by other paths than the journal reaches the server.
  const inbound = config.journalTail
    ? new InboundWriter({ db, dataDir: config.dataDir, segmentBytes: config.inboundSegmentBytes, logger })
    : null;
  inbound?.start();
  const ingest = new IngestPipeline({
    core,
    committer,
    jobs,
    trackState: config.trackingEnabled,
    worker:
      ingestWorker === null ? undefined : { port: ingestWorker, minBytes: config.captureWorkerMinBytes },
    onPrepared: (seconds) => metrics.core.prepareDuration.observe(seconds),
    inbound: inbound ?? undefined,
  });
  // Inbound events go through the same pipeline and committer, so one group commit covers captures
  // and synced events.
  const sync = createSyncRuntime({ config, db, core, committer, ingest, metrics, logger });
  const capture = new CaptureService({ ingest, jobs, writes: committer, metrics, siteId: config.siteId });
  // Their writes go through the committer: they then wait for a large capture on the ingest worker
  // as a promise, instead of on SQLite's lock on this thread.
  const namedQueryStore = new NamedQueryStore(db, committer);
  const subscriptionStore = new SubscriptionStore(db, committer);
  const identifierCanon = createIdentifierCanon(core);
  const canon = definitionCanon(identifierCanon, core);
  const destinations = new DestinationPolicy(config.webhookAllowedDestinations, {
    checkWaitMs: config.webhookTimeoutMs,
  });
  const webhooks = new WebhookWorker({
    db,
    destinations,
    store: subscriptionStore,
    queries: namedQueryStore,
    feed,
    canon,
    toDigitalLink: identifierCanon.toDigitalLink,
    metrics,
    logger,
    options: {
      timeoutMs: config.webhookTimeoutMs,
      backoff: { firstDelayMs: DEFAULT_BACKOFF.firstDelayMs, maxDelayMs: config.webhookRetryMaxMs },
      batchLimit: 1000,
      batchBytes: config.liveBatchBytes,
    },
  });
  const namedQueries = new NamedQueries({
    db,
    queries: namedQueryStore,
    subscriptions: subscriptionStore,
    worker: webhooks,
    feed,
    canon,
    destinations,
  });
  const app = await createApp({
    config,
    logger,
    db,
    core,
    capture,
    jobs,
    reader,
    metrics,
    readiness,
    authenticator: options.authenticator,
    pageTokenSecret: options.pageTokenSecret,
    feed,
    namedQueries,
    sync,
  });
  // Sidecar of tracker-server.wasm (JOURNAL_TAIL): its journal enters SQLite as this site's captures.
  const journalTail = config.journalTail
    ? createJournalTail(config, app, { db, ingest, metrics, logger })
    : null;
  // Restarts start from these (SNAPSHOT_EVERY_RECORDS), the server's and this service's; they need
  // the full index.
  const snapshots = withSnapshots
    ? new SnapshotWriter({
        core,
        mode: config.journalTail ? 'sidecar' : 'store',
        keys: config.journalTail ? new DuplicateKeyReader(db) : null,
        store: startUpReads,
        place: snapshotPlace,
        dataDir: config.dataDir,
        everyRecords: config.snapshotEveryRecords,
        inboundSeq: () => inbound?.appendedSeq ?? 0,
        settled: (work) => ingest.settled(work),
        logger,
      })
    : null;

  return {
    app,
    db,
    committer,
    core,
    metrics,
    readiness,
    feed,
    sync,
    async rebuildState() {
      const progress = config.trackingEnabled
        ? await replayAfter(stateStart(core), loaded)
        : { events: 0, durationMs: 0 };
      readiness.stateRebuilt = true;
      // Stored subscriptions resume once the service is ready, from their stored positions.
      webhooks.start();
      // Inbound events are applied to the state index, so consuming starts once it holds the store.
      sync.start();
      // Like inbound events, journal records are applied to the state index: after the rebuild.
      journalTail?.start();
      // Only now does the index hold every stored event, as a snapshot claims.
      snapshots?.start(loaded.position);
      return progress;
    },
    closeSteps: [
      { name: 'http', close: () => closeHttpServer(app) },
      // Finishes the inbound batch being stored and awaits publish confirms, before the last commits.
      { name: 'sync', close: () => sync.stop() },
      // Lets the batch of records being stored commit, with its position, before the last commits.
      ...(journalTail === null ? [] : [{ name: 'journal-tail', close: () => journalTail.stop() }]),
      // Lets a delivery in flight finish and record its acknowledgement, which it writes through the
      // group committer: so before that closes. Needs the feed and database too.
      { name: 'webhooks', close: () => webhooks.stop() },
      { name: 'group-commit', close: () => committer.close() },
      { name: 'ingest-worker', close: () => ingestWorker?.close() },
      { name: 'wal-checkpointer', close: () => checkpointer?.close() },
      ...(inbound === null ? [] : [{ name: 'inbound-segments', close: () => inbound.close() }]),
      // After the last commits (nothing is stored any more), before the database it reads keys from.
      ...(snapshots === null ? [] : [{ name: 'snapshot', close: () => snapshots.stop() }]),
      // After HTTP (its streams end first) and the last commits; before the database it reads.
      { name: 'live-feed', close: () => feed.close() },
      { name: 'database', close: () => void db.close() },
    ],
  };
}

function createJournalTail(
  config: Readonly<Config>,
  app: FastifyInstance,
  deps: { db: Database; ingest: IngestPipeline; metrics: Metrics; logger: Logger },
): JournalTail {
  const waiter = new SeqWaiter();
  installJournalSeqHook(app, { waiter, maxWaitMs: config.journalSeqWaitMs });
  return new JournalTail({
    dataDir: config.dataDir,
    siteId: config.siteId,
    ingest: deps.ingest,
    positions: new JournalPositionStore(deps.db, config.dataDir),
    waiter,
    metrics: deps.metrics.journal,
    logger: deps.logger,
    pollIntervalMs: config.journalPollIntervalMs,
  });
}
