// promtool 2.53 from Debian trixie (scripts/install-k8s-tools.sh, into .tools/k8s/bin) on the
// PrometheusRule: promtool reads plain rule files, so the CRD's spec.groups is written out as one,
// beside a copy of k8s/monitoring/promtool/alerts.test.yaml, in a temporary folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { kustomizeBinary } from '../check/kustomize.js';

export const ALERT_TESTS = 'k8s/monitoring/promtool/alerts.test.yaml';

export interface PromtoolRun {
  ok: boolean;
  output: string;
}

/** promtool, installed with kustomize on first use (tests fail, not skip, when it cannot be). */
export function promtoolBinary(repoRoot: string): string {
  kustomizeBinary(repoRoot);
  return join(repoRoot, '.tools/k8s/bin/promtool');
}

/** `promtool check rules` and `promtool test rules` on the groups of a PrometheusRule. */
export function promtoolRules(
  repoRoot: string,
  groups: unknown,
  testsFile = join(repoRoot, ALERT_TESTS),
): PromtoolRun[] {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-promtool-'));
  try {
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
    copyFileSync(testsFile, join(dir, 'alerts.test.yaml'));
    const binary = promtoolBinary(repoRoot);
    return [
      ['check', 'rules', 'rules.yaml'],
      ['test', 'rules', 'alerts.test.yaml'],
    ].map((args) => {
      const run = spawnSync(binary, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      return {
        ok: run.status === 0,
        output: `promtool ${args.join(' ')}: ${run.stdout}${run.stderr}`.trim(),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
