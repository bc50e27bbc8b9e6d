// On SIGTERM or SIGINT: report not-ready, stop accepting connections, let in-flight requests and
// group commits finish, close the database; force the exit if that takes longer than the timeout.
import type { Logger } from 'pino';
import type { Readiness } from './readiness.js';

export interface Closable {
  name: string;
  close: () => Promise<void> | void;
}

export function installGracefulShutdown(options: {
  logger: Logger;
  readiness: Readiness;
  timeoutMs: number;
  steps: readonly Closable[];
  /** Runs after the steps, right before the exit (not after the timeout): e.g. let queued log lines out. */
  beforeExit?: () => Promise<void>;
}): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.readiness.shuttingDown = true;
    options.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, options.timeoutMs);
    force.unref();
    try {
      for (const step of options.steps) {
        await step.close();
        options.logger.info({ step: step.name }, 'closed');
      }
      await options.beforeExit?.();
      clearTimeout(force);
      process.exit(0);
    } catch (error) {
      options.logger.error({ err: error }, 'shutdown failed');
      await options.beforeExit?.();
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}
