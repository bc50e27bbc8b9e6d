// Typed views of the parts of a rendered workload the checks read. Schema validation (checks/
// schema.ts) runs first, so the shapes here hold for objects that pass it.
import type { K8sObject } from './k8s-object.js';

export interface Probe {
  httpGet?: { path?: string; port?: number | string };
}

export interface Container {
  name: string;
  image?: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type?: string };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: object;
  persistentVolumeClaim?: { claimName: string };
  hostPath?: { path: string };
}

export interface PodSpec {
  runtimeClassName?: string;
  nodeSelector?: Record<string, string>;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
  containers: Container[];
  volumes?: Volume[];
}

export interface Workload {
  object: K8sObject;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  pod: PodSpec;
  claimTemplates: { metadata: { name: string }; spec: { storageClassName?: string } }[];
}

const WORKLOAD_KINDS = new Set(['StatefulSet', 'Deployment', 'DaemonSet']);

interface TemplateSpec {
  replicas?: number;
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: PodSpec;
  };
  volumeClaimTemplates?: Workload['claimTemplates'];
}

export function workloads(objects: readonly K8sObject[]): Workload[] {
  return objects
    .filter((object) => WORKLOAD_KINDS.has(object.kind))
    .map((object) => {
      const spec = object['spec'] as TemplateSpec;
      return {
        object,
        annotations: spec.template.metadata?.annotations ?? {},
        labels: spec.template.metadata?.labels ?? {},
        pod: spec.template.spec,
        claimTemplates: spec.volumeClaimTemplates ?? [],
      };
    });
}

/** The image's repository without registry host, tag or digest: edgetrace/sidecar, ... */
export const imageRole = (image: string | undefined): 'tracker-server' | 'sidecar' | 'other' =>
  image === undefined
    ? 'other'
    : /\/tracker-server[@:]|\/tracker-server$/.test(image)
      ? 'tracker-server'
      : /\/sidecar[@:]|\/sidecar$/.test(image)
        ? 'sidecar'
        : 'other';

/** The value after `--flag` in a container's args, or null. */
export function argValue(container: Container, flag: string): string | null {
  const args = container.args ?? [];
  const at = args.indexOf(flag);
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : null;
}
