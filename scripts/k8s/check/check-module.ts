// What every check of `npm run k8s:check` implements. A check looks at one rendered kustomization
// and lists its problems, each a sentence naming the object and field; [] means it passes. To add
// one (admission policies, monitoring rules), write a module exporting a CheckModule and list it
// in checks/index.ts: the CLI and tests/integration/deploy/ pick it up from there.
import type { RenderedTarget } from './k8s-object.js';

export interface CheckContext {
  repoRoot: string;
  /** Manifest digests of build/images/digests.json (scripts/build-images.sh); empty when not built. */
  builtDigests: ReadonlySet<string>;
}

export interface CheckModule {
  name: string;
  check(target: RenderedTarget, context: CheckContext): string[] | Promise<string[]>;
}
