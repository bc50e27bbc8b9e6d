// A Kubernetes object as kustomize renders it, and what a check says about one.

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** One kustomization rendered: what it is, where it is, what it produced. */
export interface RenderedTarget {
  /** Short name in reports: base, overlays/site, fleet/plant-lyon, ... */
  name: string;
  dir: string;
  /**
   * site: the edge pod (wasm server + sidecar); hub: the Node host alone; base: the site pod without
   * sync; cluster: cluster-scoped objects of a fleet (RuntimeClasses), no workload.
   */
  role: 'base' | 'site' | 'hub' | 'cluster';
  objects: K8sObject[];
}

export const objectId = (object: K8sObject): string =>
  `${object.kind}/${object.metadata.namespace === undefined ? '' : `${object.metadata.namespace}/`}${object.metadata.name}`;
