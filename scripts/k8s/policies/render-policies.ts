// Renders the policies of k8s/policies/rules.yaml in both shipped forms: Kubernetes'
// ValidatingAdmissionPolicy + Binding (with a ConfigMap as the parameter), and Gatekeeper
// ConstraintTemplates on the K8sNativeValidation (CEL) engine + Constraints. The rule
// expressions are copied verbatim; only how `pod` and `allowedRegistry` are bound differs.
import type { K8sObject } from '../check/k8s-object.js';
import type { Policy, PolicySource } from './policy-rules.js';

/** Where the VAP flavour's parameter ConfigMap lives (the bindings name it). */
export const PARAMS = { name: 'edgetrace-admission-params', namespace: 'kube-system' };

export interface Variable {
  name: string;
  expression: string;
}

/** What every rule may use, bound per engine; `containers` is the same expression in both. */
const CONTAINERS: Variable = {
  name: 'containers',
  expression:
    'variables.pod.spec.containers + (has(variables.pod.spec.initContainers) ? variables.pod.spec.initContainers : [])',
};
export const VAP_VARIABLES: Variable[] = [
  { name: 'pod', expression: 'object' },
  { name: 'allowedRegistry', expression: 'params.data.allowedRegistry' },
  CONTAINERS,
];
// Gatekeeper binds the constraint's parameters as variables.params, and the reviewed object as
// variables.anyObject (object, or oldObject on DELETE).
export const GATEKEEPER_VARIABLES: Variable[] = [
  { name: 'pod', expression: 'variables.anyObject' },
  { name: 'allowedRegistry', expression: 'variables.params.allowedRegistry' },
  CONTAINERS,
];

const validations = (policy: Policy) =>
  policy.rules.map((rule) => ({ expression: rule.expression, message: rule.message, reason: 'Forbidden' }));

function namespaceSelector(policy: Policy): object {
  if (policy.excludedNamespaces.length === 0) return {};
  return {
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: policy.excludedNamespaces },
      ],
    },
  };
}

export function validatingAdmissionObjects(source: PolicySource): K8sObject[] {
  const params: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...PARAMS },
    data: { allowedRegistry: source.allowedRegistry.default },
  };
  return [
    params,
    ...source.policies.flatMap((policy): K8sObject[] => [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policy.name },
        spec: {
          failurePolicy: 'Fail',
          paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
          matchConstraints: {
            resourceRules: [
              { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
            ],
          },
          variables: VAP_VARIABLES,
          validations: validations(policy),
        },
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policy.name },
        spec: {
          policyName: policy.name,
          validationActions: ['Deny'],
          paramRef: { ...PARAMS, parameterNotFoundAction: 'Deny' },
          matchResources: { objectSelector: policy.selector, ...namespaceSelector(policy) },
        },
      },
    ]),
  ];
}

export function constraintTemplates(source: PolicySource): K8sObject[] {
  return source.policies.map((policy) => ({
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: policy.kind.toLowerCase(), annotations: { description: policy.description } },
    spec: {
      crd: {
        spec: {
          names: { kind: policy.kind },
          validation: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                allowedRegistry: { type: 'string', description: source.allowedRegistry.description },
              },
            },
          },
        },
      },
      targets: [
        {
          target: 'admission.k8s.gatekeeper.sh',
          code: [
            {
              engine: 'K8sNativeValidation',
              source: { variables: GATEKEEPER_VARIABLES, validations: validations(policy) },
            },
          ],
        },
      ],
    },
  }));
}

export function constraints(source: PolicySource): K8sObject[] {
  return source.policies.map((policy) => ({
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: policy.kind,
    metadata: { name: policy.name },
    spec: {
      enforcementAction: 'deny',
      match: {
        kinds: [{ apiGroups: [''], kinds: ['Pod'] }],
        labelSelector: policy.selector,
        ...(policy.excludedNamespaces.length > 0 ? { excludedNamespaces: policy.excludedNamespaces } : {}),
      },
      parameters: { allowedRegistry: source.allowedRegistry.default },
    },
  }));
}
