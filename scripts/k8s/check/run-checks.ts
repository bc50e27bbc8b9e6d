// Runs every check module on one rendered target; a check that throws is reported as a problem of
// that check, so one broken module cannot hide the others' findings.
import type { CheckContext } from './check-module.js';
import { CHECKS } from './checks/index.js';
import type { RenderedTarget } from './k8s-object.js';

export interface CheckReport {
  target: string;
  objects: number;
  problems: string[];
}

export async function runChecks(target: RenderedTarget, context: CheckContext): Promise<CheckReport> {
  const problems: string[] = [];
  for (const module of CHECKS) {
    try {
      problems.push(...(await module.check(target, context)).map((problem) => `[${module.name}] ${problem}`));
    } catch (error) {
      problems.push(`[${module.name}] the check failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
  return { target: target.name, objects: target.objects.length, problems };
}
