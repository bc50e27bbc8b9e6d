// Finds the kubernetes-models class (and its .d.ts) of an apiVersion + kind: the core API groups in
// kubernetes-models@4.5.1, the Prometheus operator's CRDs in @kubernetes-models/prometheus-operator
// (ServiceMonitor, PrometheusRule). 4.x because 5.x needs Node 22.
import { createRequire } from 'node:module';

export interface ModelClass {
  new (data: object): { validate(): void };
}

const PACKAGES = ['kubernetes-models', '@kubernetes-models/prometheus-operator'];
const require = createRequire(import.meta.url);

/** The module path of a kind: kubernetes-models/apps/v1/StatefulSet, .../v1/ConfigMap, ... */
function candidates(apiVersion: string, kind: string): string[] {
  if (!/^[a-z0-9.-]+(\/v[0-9a-z]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return [];
  return PACKAGES.map((pkg) => `${pkg}/${apiVersion}/${kind}`);
}

/** The compiled module file of a kind, or null when no package models it. */
export function modelModulePath(apiVersion: string, kind: string): string | null {
  for (const specifier of candidates(apiVersion, kind)) {
    try {
      return require.resolve(specifier);
    } catch {
      // not this package: try the next
    }
  }
  return null;
}

export function modelClass(apiVersion: string, kind: string): ModelClass | null {
  const path = modelModulePath(apiVersion, kind);
  if (path === null) return null;
  const exported = (require(path) as Record<string, unknown>)[kind];
  return typeof exported === 'function' ? (exported as ModelClass) : null;
}

/** The declaration file of a kind's model, beside its compiled module. */
export function modelDeclarationPath(apiVersion: string, kind: string): string | null {
  const path = modelModulePath(apiVersion, kind);
  return path === null ? null : path.replace(/\.(c?js|mjs)$/, '.d.ts');
}
