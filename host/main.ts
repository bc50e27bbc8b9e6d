// Composition root: reads the configuration once, builds the service, starts listening and owns
// shutdown. Nothing else in the host reads process.env.
import { pino } from 'pino';
import { buildService } from './app/build-service.js';
import { createAuthenticator } from './auth/authenticate.js';
import { listenAddressFor } from './auth/listen-address.js';
import { AUTH_REDACT_CENSOR, AUTH_REDACT_PATHS } from './auth/log-redaction.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { loadOrCreatePageTokenSecret } from './lifecycle/page-token-secret.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  const logger = pino({
    level: config.logLevel,
    redact: { paths: [...AUTH_REDACT_PATHS], censor: AUTH_REDACT_CENSOR },
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
  installGracefulShutdown({
    logger,
    readiness: service.readiness,
    timeoutMs: config.shutdownTimeoutMs,
    steps: service.closeSteps,
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
