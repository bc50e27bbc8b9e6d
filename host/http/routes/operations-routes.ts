// Liveness, readiness, sync health and metrics: open to the cluster without credentials.
import type { FastifyInstance } from 'fastify';
import type { TrackerCore } from '../../core/gateway.js';
import type { Readiness } from '../../lifecycle/readiness.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { SyncReport } from '../../sync/sync-report.js';

/** What /health/sync and /metrics need from sync (host/sync/sync-runtime.ts). */
export interface SyncStatusSource {
  report(): SyncReport;
  refreshMetrics(): void;
}

export interface OperationsRoutesDeps {
  readiness: Readiness;
  metrics: Metrics;
  core: TrackerCore;
  sync?: SyncStatusSource | undefined;
}

export const PUBLIC_PATHS = ['/health', '/health/sync', '/ready', '/metrics'];

export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsRoutesDeps): void {
  app.get('/health', async () => ({ status: 'alive' }));

  app.get('/ready', async (_request, reply) => {
    const report = deps.readiness.report();
    return reply.code(report['ready'] === true ? 200 : 503).send(report);
  });

  // Separate from /ready: a site without its broker keeps serving (see host/sync/sync-report.ts).
  const sync = deps.sync;
  if (sync !== undefined) {
    app.get('/health/sync', async (_request, reply) => {
      const report = sync.report();
      return reply.code(report.httpStatus).send(report.body);
    });
  }

  app.get('/metrics', async (_request, reply) => {
    if (deps.readiness.coreLoaded) {
      const stats = deps.core.stats();
      deps.metrics.core.stateEpcs.set(stats.epcs);
      deps.metrics.core.stateBytes.set(stats.indexBytes);
      deps.metrics.core.wasmMemoryBytes.set(stats.memoryBytes);
    }
    if (deps.readiness.databaseOpen) deps.sync?.refreshMetrics();
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
