// What `npm run k8s:check` renders: the base, each overlay, and every site of the example fleet
// table rendered by the fleet generator into a temporary folder (as an operator would render it).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readImageDigests, writeFleet } from '../fleet/write-fleet.js';
import type { K8sObject, RenderedTarget } from './k8s-object.js';
import { kustomizeBuild } from './kustomize.js';

export interface Target {
  name: string;
  dir: string;
  role: Exclude<RenderedTarget['role'], 'cluster'>;
}

export const OVERLAY_TARGETS = (repoRoot: string): Target[] => [
  { name: 'base', dir: join(repoRoot, 'k8s/base'), role: 'base' },
  { name: 'overlays/site', dir: join(repoRoot, 'k8s/overlays/site'), role: 'site' },
  {
    name: 'overlays/site-crun-wasmedge',
    dir: join(repoRoot, 'k8s/overlays/site-crun-wasmedge'),
    role: 'site',
  },
  { name: 'overlays/hub', dir: join(repoRoot, 'k8s/overlays/hub'), role: 'hub' },
];

export function digestsFile(repoRoot: string): string | null {
  const file = join(repoRoot, 'build/images/digests.json');
  return existsSync(file) ? file : null;
}

/** The manifest digests scripts/build-images.sh recorded, if it ran. */
export function builtDigests(repoRoot: string): Set<string> {
  const file = digestsFile(repoRoot);
  if (file === null) return new Set();
  const { sidecar, trackerServer } = readImageDigests(file);
  return new Set([sidecar, trackerServer]);
}

/**
 * Renders a fleet table with the generator into `out`, builds the whole fleet with one kustomize run
 * (as a GitOps tool would apply it) and splits the objects into one target per site namespace, plus
 * one for the cluster-scoped objects.
 */
export function renderFleet(repoRoot: string, table: string, out: string): RenderedTarget[] {
  const sites = writeFleet({ table, out, k8sDir: join(repoRoot, 'k8s'), digestsFile: digestsFile(repoRoot) });
  const objects = kustomizeBuild(repoRoot, out);
  const namespaceOf = (object: K8sObject): string | undefined =>
    object.kind === 'Namespace' ? object.metadata.name : object.metadata.namespace;
  const targets: RenderedTarget[] = sites.map((site) => ({
    name: `fleet/${site.siteId}`,
    dir: join(out, site.siteId),
    role: 'site',
    objects: objects.filter((object) => namespaceOf(object) === `edgetrace-${site.siteId}`),
  }));
  const clusterScoped = objects.filter((object) => namespaceOf(object) === undefined);
  if (clusterScoped.length > 0)
    targets.push({ name: 'fleet (cluster-scoped)', dir: out, role: 'cluster', objects: clusterScoped });
  return targets;
}

export function render(repoRoot: string, target: Target): RenderedTarget {
  return { ...target, objects: kustomizeBuild(repoRoot, target.dir) };
}
