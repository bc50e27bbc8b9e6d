// What npm run k8s:check verifies of k8s/policies/ itself: the shipped files are exactly what
// rules.yaml renders to (no drift between the two engines' forms), every CEL expression parses,
// and both kustomizations render objects that pass the schema and unknown-key checks (Gatekeeper's
// kinds: gatekeeper-shape.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@bufbuild/cel';
import type { CheckContext } from '../check/check-module.js';
import { schemaCheck } from '../check/checks/schema.js';
import { unknownKeysCheck } from '../check/checks/unknown-keys.js';
import type { RenderedTarget } from '../check/k8s-object.js';
import { kustomizeBuild } from '../check/kustomize.js';
import { gatekeeperProblems } from './gatekeeper-shape.js';
import { readPolicySource } from './policy-rules.js';
import { policyFiles } from './policy-files.js';
import { GATEKEEPER_VARIABLES, VAP_VARIABLES } from './render-policies.js';

function celProblems(expressions: { where: string; expression: string }[]): string[] {
  return expressions.flatMap(({ where, expression }) => {
    try {
      parse(expression);
      return [];
    } catch (error) {
      return [`${where}: the CEL does not parse: ${(error as Error).message}`];
    }
  });
}

export async function policyManifestProblems(
  context: CheckContext,
): Promise<{ objects: number; problems: string[] }> {
  const root = context.repoRoot;
  const source = readPolicySource(root);
  const problems: string[] = [];
  for (const [path, text] of await policyFiles(source, root)) {
    let onDisk = '';
    try {
      onDisk = readFileSync(join(root, 'k8s/policies', path), 'utf8');
    } catch {
      // reported as drift below
    }
    if (onDisk !== text)
      problems.push(`k8s/policies/${path} differs from rules.yaml: run npm run k8s:policies`);
  }
  problems.push(
    ...celProblems([
      ...source.policies.flatMap((policy) =>
        policy.rules.map((rule) => ({ where: `${policy.name}/${rule.id}`, expression: rule.expression })),
      ),
      ...[...VAP_VARIABLES, ...GATEKEEPER_VARIABLES].map((v) => ({
        where: `variable ${v.name}`,
        expression: v.expression,
      })),
    ]),
  );
  const vap: RenderedTarget = {
    name: 'policies',
    dir: join(root, 'k8s/policies'),
    role: 'cluster',
    objects: kustomizeBuild(root, join(root, 'k8s/policies')),
  };
  for (const check of [schemaCheck, unknownKeysCheck])
    problems.push(...(await check.check(vap, context)).map((p) => `[${check.name}] ${p}`));
  const gatekeeper = kustomizeBuild(root, join(root, 'k8s/policies/gatekeeper'));
  problems.push(
    ...gatekeeperProblems(
      gatekeeper.filter((o) => o.kind === 'ConstraintTemplate'),
      gatekeeper.filter((o) => o.kind !== 'ConstraintTemplate'),
    ),
  );
  return { objects: vap.objects.length + gatekeeper.length, problems };
}
