// The cluster-wide manifests npm run k8s:check verifies once (not per site): the admission
// policies of k8s/policies and the monitoring of k8s/monitoring. Each reports like a target.
import { monitoringManifestProblems } from '../monitoring/monitoring-manifests.js';
import { policyManifestProblems } from '../policies/policy-manifests.js';
import type { CheckContext } from './check-module.js';
import type { CheckReport } from './run-checks.js';

const CLUSTER_MANIFESTS = [
  { target: 'policies', check: policyManifestProblems },
  { target: 'monitoring', check: monitoringManifestProblems },
];

export async function checkClusterManifests(context: CheckContext): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const { target, check } of CLUSTER_MANIFESTS) {
    try {
      reports.push({ target, ...(await check(context)) });
    } catch (error) {
      reports.push({
        target,
        objects: 0,
        problems: [`the check failed: ${(error as Error).stack ?? String(error)}`],
      });
    }
  }
  return reports;
}
