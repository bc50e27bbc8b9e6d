// Liveness, readiness and metrics: open to the cluster without credentials.
import type { FastifyInstance } from 'fastify';
import type { TrackerCore } from '../../core/gateway.js';
import type { Readiness } from '../../lifecycle/readiness.js';
import type { Metrics } from '../../metrics/metrics.js';

export interface OperationsRoutesDeps {
  readiness: Readiness;
  metrics: Metrics;
  core: TrackerCore;
}

export const PUBLIC_PATHS = ['/health', '/ready', '/metrics'];

export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsRoutesDeps): void {
  app.get('/health', async () => ({ status: 'alive' }));

  app.get('/ready', async (_request, reply) => {
    const report = deps.readiness.report();
    return reply.code(report['ready'] === true ? 200 : 503).send(report);
  });

  app.get('/metrics', async (_request, reply) => {
    if (deps.readiness.coreLoaded) {
      const stats = deps.core.stats();
      deps.metrics.core.stateEpcs.set(stats.epcs);
      deps.metrics.core.stateBytes.set(stats.indexBytes);
      deps.metrics.core.wasmMemoryBytes.set(stats.memoryBytes);
    }
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
