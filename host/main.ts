// Composition root: reads the configuration once, builds the service, starts listening and owns
// shutdown. Nothing else in the host reads process.env.
import { buildService } from './app/build-service.js';
import { createAuthenticator } from './auth/authenticate.js';
import { listenAddressFor } from './auth/listen-address.js';
import { AUTH_REDACT_CENSOR, AUTH_REDACT_PATHS } from './auth/log-redaction.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { loadOrCreatePageTokenSecret } from './lifecycle/page-token-secret.js';
import { createServiceLogger } from './logging/create-service-logger.js';
import { SHUTDOWN_DRAIN_MS } from './logging/log-sink.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  // Never pino's default destination: it can hang the exit when stdout's reader is gone (log-sink.ts).
  const { logger, sink: logSink } = createServiceLogger({
    pino: { level: config.logLevel, redact: { paths: [...AUTH_REDACT_PATHS], censor: AUTH_REDACT_CENSOR } },
    stdout: process.stdout,
    stderr: process.stderr,
    sink: { maxBacklogBytes: config.logBacklogBytes },
  });
  const authenticator = await createAuthenticator({
    apiKeyFile: config.apiKeysFile ?? undefined,
    jwks: config.jwt ?? undefined,
  });
  const listen = listenAddressFor(config.host, authenticator);
  const service = await buildService(config, {
    logger,
    authenticator,
    pageTokenSecret: loadOrCreatePageTokenSecret(config.dataDir),
  });
  logSink.countDropsIn(service.metrics.logs.droppedLines);
  installGracefulShutdown({
    logger,
    readiness: service.readiness,
    timeoutMs: config.shutdownTimeoutMs,
    steps: service.closeSteps,
    // Lets the shutdown's own log lines reach a reader that is still reading (a bounded wait).
    beforeExit: () => logSink.drain(SHUTDOWN_DRAIN_MS),
  });

  await service.app.listen({ port: config.port, host: listen.host });
  if (listen.warning !== null) logger.warn(listen.warning);
  else if (authenticator !== null) logger.info(authenticator.description);
  logger.info(
    {
      database: config.databaseFile,
      synchronous: config.sqliteSynchronous,
      role: config.role,
      siteId: config.siteId,
      sync: config.syncEnabled,
    },
    'storage ready',
  );
  const progress = await service.rebuildState();
  logger.info(
    { events: progress.events, ms: Math.round(progress.durationMs) },
    'state index rebuilt from the store',
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`edgetrace: cannot start: ${message}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
