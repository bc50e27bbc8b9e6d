// Images are pulled by digest from the fleet's registry: a tag can be moved under a running fleet,
// a digest cannot. A digest is either the placeholder of k8s/base (nothing built yet) or one that
// scripts/build-images.sh wrote to build/images/digests.json; a site must not mix the two.
import type { CheckModule } from '../check-module.js';
import { objectId } from '../k8s-object.js';
import { workloads } from '../pod-spec.js';

export const REGISTRY = 'registry.local/edgetrace/';
export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;
const PINNED = /^([a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+)@(sha256:[0-9a-f]{64})$/;

export const imagesCheck: CheckModule = {
  name: 'images',
  check(target, context) {
    const problems: string[] = [];
    for (const workload of workloads(target.objects)) {
      const kinds = new Set<string>();
      for (const container of workload.pod.containers) {
        const where = `${objectId(workload.object)} container ${container.name}`;
        const match = PINNED.exec(container.image ?? '');
        if (match === null) {
          problems.push(`${where}: image ${container.image ?? '(none)'} is not pinned by a sha256 digest`);
          continue;
        }
        if (!match[1]!.startsWith(REGISTRY))
          problems.push(`${where}: image ${match[1]} is not from ${REGISTRY}`);
        const digest = match[2]!;
        if (digest === PLACEHOLDER_DIGEST) kinds.add('placeholder');
        else if (context.builtDigests.has(digest)) kinds.add('built');
        else
          problems.push(
            `${where}: digest ${digest} is neither the placeholder nor in build/images/digests.json`,
          );
      }
      if (kinds.size > 1) problems.push(`${objectId(workload.object)}: mixes placeholder and built digests`);
    }
    return problems;
  },
};
