// Admission as the API server or Gatekeeper would decide it, evaluated offline with @bufbuild/cel:
// which policies of k8s/policies/rules.yaml select a pod (label selector, excluded namespaces), and
// which of their rules deny it. The variables are bound by the very expressions each shipped form
// carries, and a rule that does not evaluate to true denies, as an evaluation error does under
// failurePolicy Fail.
import { type CelInput, isCelError, run } from '@bufbuild/cel';
import type { Policy, PolicyRule, PolicySource } from './policy-rules.js';
import { GATEKEEPER_VARIABLES, VAP_VARIABLES } from './render-policies.js';

/** A Pod as admission sees it: the fields the rules and the selectors read. */
export interface AdmittedPod {
  metadata: { namespace: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

export interface Denial {
  policy: string;
  rule: string;
  message: string;
}

/** JSON integers as CEL ints (Kubernetes decodes them so): `runAsUser == 0` compares int to int. */
function celValue(value: unknown): CelInput {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, celValue(entry)]),
    ) as CelInput;
  return value as CelInput;
}

export function selects(policy: Policy, pod: AdmittedPod): boolean {
  const labels = pod.metadata.labels ?? {};
  return (
    !policy.excludedNamespaces.includes(pod.metadata.namespace) &&
    Object.entries(policy.selector.matchLabels).every(([key, value]) => labels[key] === value)
  );
}

export type Engine = 'validating-admission-policy' | 'gatekeeper';

/**
 * The bindings an engine gives the rules: its own top-level names (VAP: object, params; Gatekeeper:
 * variables.anyObject, variables.params), then the shipped variables evaluated in order, as the
 * engine does. Null when a variable does not evaluate (the engine would deny).
 */
function bindings(
  engine: Engine,
  pod: AdmittedPod,
  allowedRegistry: string,
): Record<string, CelInput> | null {
  const object = celValue(pod);
  const variables: Record<string, CelInput> =
    engine === 'gatekeeper' ? { anyObject: object, params: { allowedRegistry } } : {};
  const top: Record<string, CelInput> =
    engine === 'gatekeeper' ? {} : { object, params: { data: { allowedRegistry } } };
  for (const variable of engine === 'gatekeeper' ? GATEKEEPER_VARIABLES : VAP_VARIABLES) {
    const value = run(variable.expression, { ...top, variables });
    if (isCelError(value)) return null;
    variables[variable.name] = value;
  }
  return { ...top, variables };
}

/** Whether one rule admits the pod: its expression evaluates to exactly true. */
export function ruleAdmits(
  rule: PolicyRule,
  pod: AdmittedPod,
  allowedRegistry: string,
  engine: Engine,
): boolean {
  const bound = bindings(engine, pod, allowedRegistry);
  return bound !== null && run(rule.expression, bound) === true;
}

export interface AdmissionOptions {
  engine?: Engine;
  /** The parameter's value; the source's default when not given. */
  allowedRegistry?: string;
}

export function denials(source: PolicySource, pod: AdmittedPod, options: AdmissionOptions = {}): Denial[] {
  const registry = options.allowedRegistry ?? source.allowedRegistry.default;
  const engine = options.engine ?? 'validating-admission-policy';
  return source.policies
    .filter((policy) => selects(policy, pod))
    .flatMap((policy) =>
      policy.rules
        .filter((rule) => !ruleAdmits(rule, pod, registry, engine))
        .map((rule) => ({ policy: policy.name, rule: rule.id, message: rule.message })),
    );
}

/** The Pod a workload's controller creates from its template, in the workload's namespace. */
export function podOfTemplate(
  namespace: string,
  template: { metadata?: { labels?: Record<string, string> }; spec: object },
): AdmittedPod {
  return {
    metadata: { namespace, labels: template.metadata?.labels ?? {} },
    spec: structuredClone(template.spec) as Record<string, unknown>,
  };
}
