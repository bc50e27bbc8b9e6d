// Composition root: reads the configuration once, builds every component, wires them together,
// starts listening and owns shutdown. Nothing else in the host reads process.env.
import { pino } from 'pino';
import { createApp } from './app/create-app.js';
import { createAuthenticator } from './auth/authenticate.js';
import { listenAddressFor } from './auth/listen-address.js';
import { AUTH_REDACT_CENSOR, AUTH_REDACT_PATHS } from './auth/log-redaction.js';
import { CaptureService } from './capture/capture-service.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { TrackerCore } from './core/gateway.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { loadOrCreatePageTokenSecret } from './lifecycle/page-token-secret.js';
import { Readiness } from './lifecycle/readiness.js';
import { createMetrics } from './metrics/metrics.js';
import { rebuildState, rebuildStateNow } from './state/rebuild-state.js';
import { CaptureJobs } from './store/capture-jobs.js';
import { EventReader } from './store/event-reader.js';
import { EventWriter } from './store/event-writer.js';
import { GroupCommitter } from './store/group-committer.js';
import { openDatabase } from './store/open-database.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  const logger = pino({
    level: config.logLevel,
    redact: { paths: [...AUTH_REDACT_PATHS], censor: AUTH_REDACT_CENSOR },
  });
  const readiness = new Readiness();
  const metrics = createMetrics();
  const authenticator = await createAuthenticator({
    apiKeyFile: config.apiKeysFile ?? undefined,
    jwks: config.jwt ?? undefined,
  });
  const listen = listenAddressFor(config.host, authenticator);

  const db = openDatabase({ path: config.databaseFile, synchronous: config.sqliteSynchronous });
  readiness.databaseOpen = true;
  const reader = new EventReader(db);
  const core = await TrackerCore.load({
    limits: { maxDocumentBytes: config.captureLimitBytes, maxEvents: config.captureLimitEvents },
    onInstanceReplaced: (fresh) => {
      metrics.core.traps.inc();
      const events = config.trackingEnabled ? rebuildStateNow(fresh, reader) : 0;
      logger.error(
        { events },
        'tracker.wasm trapped; replaced the instance and rebuilt its state from the store',
      );
    },
  });
  readiness.coreLoaded = true;

  const committer = new GroupCommitter(db, new EventWriter(db), {
    maxBatchEvents: Math.max(config.captureLimitEvents, 10_000),
    onCommit: (info) => {
      metrics.sqlite.commitDuration.observe(info.durationMs / 1000);
      metrics.sqlite.commitEvents.observe(info.events);
    },
  });
  const jobs = new CaptureJobs(db);
  const capture = new CaptureService({
    core,
    committer,
    jobs,
    metrics,
    siteId: config.siteId,
    trackState: config.trackingEnabled,
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
    authenticator,
    pageTokenSecret: loadOrCreatePageTokenSecret(config.dataDir),
  });

  installGracefulShutdown({
    logger,
    readiness,
    timeoutMs: config.shutdownTimeoutMs,
    steps: [
      { name: 'http', close: () => app.close() },
      { name: 'group-commit', close: () => committer.close() },
      { name: 'database', close: () => void db.close() },
    ],
  });

  await app.listen({ port: config.port, host: listen.host });
  if (listen.warning !== null) logger.warn(listen.warning);
  else if (authenticator !== null) logger.info(authenticator.description);
  logger.info(
    { database: config.databaseFile, synchronous: config.sqliteSynchronous, siteId: config.siteId },
    'storage ready',
  );
  if (config.syncEnabled) {
    logger.warn(
      'sync is configured, but this version has no RabbitMQ relay yet: captured events wait in the outbox',
    );
  }

  if (config.trackingEnabled) {
    const progress = await rebuildState(core, reader);
    logger.info(
      { events: progress.events, ms: Math.round(progress.durationMs) },
      'state index rebuilt from the store',
    );
  }
  readiness.stateRebuilt = true;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`edgetrace: cannot start: ${message}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
