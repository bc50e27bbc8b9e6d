// The pod issue 11 asks for, checked on every render: one replica on the wasm runtime class and edge
// nodes (a site), hardened containers with requests and limits, the data on a local-path claim, and
// a Service, PodDisruptionBudget and NetworkPolicy (in :8080; out: broker and DNS only) that all
// select the pod. The admission policies (k8s/policies, a later check module) enforce the same at
// the cluster; this catches it before anything is applied.
import type { CheckModule } from '../check-module.js';
import { type K8sObject, objectId } from '../k8s-object.js';
import { type Container, workloads } from '../pod-spec.js';

const WASM_RUNTIMES = new Set(['wasmedge', 'crun-wasmedge']);
const EGRESS_PORTS = new Set([53, 5671, 5672]);

function containerProblems(container: Container, where: string): string[] {
  const problems: string[] = [];
  const sc = container.securityContext ?? {};
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is not read-only`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation is not refused`);
  if (sc.privileged === true) problems.push(`${where}: is privileged`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL') || (sc.capabilities?.add ?? []).length > 0) {
    problems.push(`${where}: does not drop ALL capabilities (and add none)`);
  }
  if (sc.runAsNonRoot !== true) problems.push(`${where}: may run as root`);
  for (const kind of ['requests', 'limits'] as const) {
    const set = container.resources?.[kind] ?? {};
    if (set['cpu'] === undefined || set['memory'] === undefined)
      problems.push(`${where}: no cpu and memory ${kind}`);
  }
  return problems;
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function companionProblems(
  objects: readonly K8sObject[],
  labels: Record<string, string>,
  id: string,
): string[] {
  const problems: string[] = [];
  const spec = (o: K8sObject) => o['spec'] as Record<string, unknown>;
  const find = (kind: string, selector: (o: K8sObject) => Record<string, string> | undefined) =>
    objects.filter((o) => o.kind === kind && selects(selector(o), labels));
  const matchLabels = (o: K8sObject, field: string) =>
    (spec(o)[field] as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (find('Service', (o) => spec(o)['selector'] as Record<string, string>).length !== 1)
    problems.push(`${id}: no Service selects the pod`);
  if (find('PodDisruptionBudget', (o) => matchLabels(o, 'selector')).length !== 1)
    problems.push(`${id}: no PodDisruptionBudget selects the pod`);
  const policies = find('NetworkPolicy', (o) => matchLabels(o, 'podSelector'));
  if (policies.length !== 1) return [...problems, `${id}: no NetworkPolicy selects the pod`];
  const policy = spec(policies[0]!) as {
    policyTypes?: string[];
    ingress?: { ports?: { port?: number }[] }[];
    egress?: { ports?: { port?: number }[] }[];
  };
  if (!['Ingress', 'Egress'].every((t) => policy.policyTypes?.includes(t)))
    problems.push(`${id}: NetworkPolicy does not govern both directions`);
  const ingress = (policy.ingress ?? []).flatMap((rule) => rule.ports ?? [{}]).map((p) => p.port);
  if (ingress.length === 0 || ingress.some((port) => port !== 8080))
    problems.push(`${id}: NetworkPolicy lets in more than :8080`);
  const egress = (policy.egress ?? []).flatMap((rule) => rule.ports ?? [{}]).map((p) => p.port);
  if (egress.some((port) => port === undefined || !EGRESS_PORTS.has(port)))
    problems.push(`${id}: NetworkPolicy lets out more than DNS and the broker`);
  return problems;
}

export const podShapeCheck: CheckModule = {
  name: 'pod-shape',
  check(target) {
    const problems: string[] = [];
    const found = workloads(target.objects);
    if (target.role === 'cluster')
      return found.length === 0 ? [] : [`${target.name}: a workload among cluster-scoped objects`];
    if (found.length !== 1) return [`${target.name}: ${found.length} workloads, expected the one tracker`];
    const { object, pod, labels, annotations, claimTemplates } = found[0]!;
    const id = objectId(object);
    const spec = object['spec'] as { replicas?: number };
    if (object.kind !== 'StatefulSet' || spec.replicas !== 1)
      problems.push(`${id}: not a StatefulSet of one replica`);
    if (target.role === 'hub') {
      if (pod.runtimeClassName !== undefined)
        problems.push(`${id}: the hub runs no wasm, yet asks for ${pod.runtimeClassName}`);
    } else {
      if (!WASM_RUNTIMES.has(pod.runtimeClassName ?? ''))
        problems.push(`${id}: runtimeClassName is not wasmedge or crun-wasmedge`);
      if (
        pod.runtimeClassName === 'crun-wasmedge' &&
        annotations['module.wasm.image/variant'] !== 'compat-smart'
      ) {
        problems.push(`${id}: crun-wasmedge without the module.wasm.image/variant: compat-smart annotation`);
      }
      if (pod.nodeSelector?.['node-type'] !== 'edge')
        problems.push(`${id}: nodeSelector lacks node-type: edge`);
      if (pod.containers.length !== 2) problems.push(`${id}: a site pod is the wasm server and its sidecar`);
    }
    if (
      pod.securityContext?.runAsNonRoot !== true ||
      pod.securityContext.seccompProfile?.type !== 'RuntimeDefault'
    ) {
      problems.push(`${id}: pod securityContext lacks runAsNonRoot and seccomp RuntimeDefault`);
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.hostPath !== undefined) problems.push(`${id}: volume ${volume.name} is a hostPath`);
    }
    const data = claimTemplates.find((claim) => claim.metadata.name === 'data');
    if (data?.spec.storageClassName !== 'local-path')
      problems.push(`${id}: the data claim is not on local-path`);
    for (const container of pod.containers) {
      problems.push(...containerProblems(container, `${id} container ${container.name}`));
      if (!(container.volumeMounts ?? []).some((m) => m.name === 'data'))
        problems.push(`${id} container ${container.name}: does not mount the data volume`);
    }
    problems.push(...companionProblems(target.objects, labels, id));
    return problems;
  },
};
