// The admission policies of k8s/policies/rules.yaml, evaluated with CEL on the pod every rendered
// workload's controller would create: what the cluster would refuse is caught before any apply.
// Base and overlay pods without a namespace are admitted as if in `default`.
import { readPolicySource } from '../../policies/policy-rules.js';
import { denials, podOfTemplate } from '../../policies/pod-admission.js';
import type { CheckModule } from '../check-module.js';
import { objectId } from '../k8s-object.js';
import { workloads } from '../pod-spec.js';

export const admissionPoliciesCheck: CheckModule = {
  name: 'admission-policies',
  check(target, context) {
    const source = readPolicySource(context.repoRoot);
    return workloads(target.objects).flatMap((workload) => {
      const spec = workload.object['spec'] as { template: Parameters<typeof podOfTemplate>[1] };
      const pod = podOfTemplate(workload.object.metadata.namespace ?? 'default', spec.template);
      return denials(source, pod).map(
        (denial) =>
          `${objectId(workload.object)}: ${denial.policy} denies its pod (${denial.rule}): ${denial.message}`,
      );
    });
  },
};
