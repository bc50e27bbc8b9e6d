// npm run k8s:check: renders the base, every overlay and the example fleet with kustomize, and runs
// every check module (checks/index.ts) on each. Prints one line per target and every problem;
// exits 1 when there is any.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.js';
import { checkClusterManifests } from './cluster-manifests.js';
import { runChecks } from './run-checks.js';
import type { RenderedTarget } from './k8s-object.js';
import { builtDigests, OVERLAY_TARGETS, render, renderFleet } from './targets.js';

const root = repoRoot();
const context = { repoRoot: root, builtDigests: builtDigests(root) };
const fleetTable = join(root, 'k8s/fleet/sites.csv');
let failed = 0;
let total = 0;
function report(name: string, objects: number, problems: string[]): void {
  total++;
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name} (${objects} objects)`);
  for (const problem of problems) console.log(`     ${problem}`);
  if (problems.length > 0) failed++;
}
const rendered: RenderedTarget[] = [];
for (const target of OVERLAY_TARGETS(root)) {
  try {
    rendered.push(render(root, target));
  } catch (error) {
    report(target.name, 0, [`kustomize build failed: ${(error as Error).message}`]);
  }
}
const fleetOut = mkdtempSync(join(tmpdir(), 'edgetrace-fleet-'));
try {
  rendered.push(...renderFleet(root, fleetTable, fleetOut));
} catch (error) {
  report(`fleet of ${fleetTable}`, 0, [`rendering failed: ${(error as Error).message}`]);
} finally {
  rmSync(fleetOut, { recursive: true, force: true });
}
for (const target of rendered) {
  const { objects, problems } = await runChecks(target, context);
  report(target.name, objects, problems);
}
// The cluster-wide admission policies and monitoring: verified once, not per site.
for (const { target, objects, problems } of await checkClusterManifests(context))
  report(target, objects, problems);
const pinned = context.builtDigests.size > 0 ? 'digests of build/images/digests.json' : 'placeholder digests';
console.log(`k8s:check: ${total - failed}/${total} targets pass (${pinned})`);
process.exitCode = failed === 0 ? 0 : 1;
