// An in-process service with sync on, against the test broker, in a test's own namespace.
import type { Logger } from 'pino';
import type { Config } from '../../../../host/config/config.js';
import { buildServiceApp, type ServiceApp } from '../../../helpers/service-app.js';
import { BROKER_URL } from '../../../helpers/rabbitmq.js';

export function startSyncApp(
  namespace: string,
  config: Partial<Config>,
  options: { logger?: Logger; onDisk?: boolean } = {},
): Promise<ServiceApp> {
  return buildServiceApp({
    ...options,
    config: {
      syncEnabled: true,
      amqpUrl: BROKER_URL,
      syncNamespace: namespace,
      syncIntervalMs: 200,
      ...config,
    },
  });
}
