// The kubelet's probes hit routes the process in that container really serves, on the port it
// really listens on (its --port argument), and the Service's target port is that port: a renamed
// route or port would otherwise show up only as a pod that never becomes ready.
import type { CheckModule } from '../check-module.js';
import { objectId } from '../k8s-object.js';
import { argValue, type Container, imageRole, type Probe, workloads } from '../pod-spec.js';
import { nodeHostOperationRoutes, wasmServerRoutes } from '../server-routes.js';

const PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
const EXPECTED_PATH = { startupProbe: '/health', livenessProbe: '/health', readinessProbe: '/ready' };

function portNumber(container: Container, port: number | string | undefined): number | null {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort ?? null;
}

export const probesCheck: CheckModule = {
  name: 'probes',
  check(target, { repoRoot }) {
    const problems: string[] = [];
    const routes = {
      'tracker-server': wasmServerRoutes(repoRoot),
      sidecar: nodeHostOperationRoutes(repoRoot),
    };
    for (const workload of workloads(target.objects)) {
      const id = objectId(workload.object);
      const serving = workload.pod.containers.filter((c) =>
        (c.ports ?? []).some((p) => p.containerPort === 8080),
      );
      if (serving.length !== 1) problems.push(`${id}: ${serving.length} containers expose :8080, expected 1`);
      for (const container of workload.pod.containers) {
        const where = `${id} container ${container.name}`;
        const role = imageRole(container.image);
        for (const kind of PROBES) {
          const probe: Probe | undefined = container[kind];
          if (probe === undefined) {
            if (serving.includes(container)) problems.push(`${where}: has no ${kind}`);
            continue;
          }
          const path = probe.httpGet?.path;
          if (path === undefined) {
            problems.push(`${where}: ${kind} is not an HTTP GET`);
            continue;
          }
          if (path !== EXPECTED_PATH[kind])
            problems.push(`${where}: ${kind} asks ${path}, expected ${EXPECTED_PATH[kind]}`);
          if (role === 'other' || !routes[role].has(path))
            problems.push(`${where}: ${kind} path ${path} is not a route of ${role}`);
          const port = portNumber(container, probe.httpGet?.port);
          const listens = Number(argValue(container, '--port'));
          if (port === null || port !== listens) {
            problems.push(
              `${where}: ${kind} port ${String(probe.httpGet?.port)} is not the --port it listens on (${listens})`,
            );
          }
        }
      }
      for (const service of target.objects.filter((o) => o.kind === 'Service')) {
        const ports = (service['spec'] as { ports?: { targetPort?: number | string }[] }).ports ?? [];
        for (const { targetPort } of ports) {
          if (serving[0] !== undefined && portNumber(serving[0], targetPort) !== 8080) {
            problems.push(
              `${objectId(service)}: targetPort ${String(targetPort)} does not reach :8080 of ${id}`,
            );
          }
        }
      }
    }
    return problems;
  },
};
