// k8s/policies/rules.yaml, the one source of the admission rules, read and checked into typed
// policies. Both shipped forms (scripts/k8s/policies/render-policies.ts) and the tests' CEL
// evaluation (pod-admission.ts) start from what this returns, so they cannot drift apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface PolicyRule {
  /** Stable name of the rule: the tests' bad objects are keyed by it. */
  id: string;
  /** CEL over variables.pod, variables.allowedRegistry and variables.containers; true admits. */
  expression: string;
  /** What the API server answers when the expression is not true. */
  message: string;
}

export interface Policy {
  name: string;
  /** The Gatekeeper constraint kind of this policy. */
  kind: string;
  description: string;
  /** Pods this policy applies to, by label. */
  selector: { matchLabels: Record<string, string> };
  excludedNamespaces: string[];
  rules: PolicyRule[];
}

export interface PolicySource {
  allowedRegistry: { description: string; default: string };
  policies: Policy[];
}

export const RULES_FILE = 'k8s/policies/rules.yaml';

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((entry) => typeof entry === 'string');

function checkPolicy(value: unknown, where: string): Policy {
  const policy = value as Partial<Policy>;
  const text = (field: unknown, name: string): string => {
    if (typeof field !== 'string' || field.trim() === '')
      throw new Error(`${where}: ${name} is not a string`);
    return field.trim();
  };
  if (!isStringRecord(policy.selector?.matchLabels)) throw new Error(`${where}: selector.matchLabels`);
  if (!Array.isArray(policy.excludedNamespaces) || !Array.isArray(policy.rules) || policy.rules.length === 0)
    throw new Error(`${where}: excludedNamespaces and a non-empty rules list are required`);
  const ids = new Set<string>();
  const rules = policy.rules.map((rule: Partial<PolicyRule>, i) => {
    const id = text(rule.id, `rules[${i}].id`);
    if (ids.has(id)) throw new Error(`${where}: rule id ${id} twice`);
    ids.add(id);
    return {
      id,
      expression: text(rule.expression, `${id}.expression`),
      message: text(rule.message, `${id}.message`),
    };
  });
  const kind = text(policy.kind, 'kind');
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) throw new Error(`${where}: kind ${kind} is not a CRD kind`);
  return {
    name: text(policy.name, 'name'),
    kind,
    description: text(policy.description, 'description'),
    selector: { matchLabels: policy.selector!.matchLabels },
    excludedNamespaces: policy.excludedNamespaces.map((ns, i) => text(ns, `excludedNamespaces[${i}]`)),
    rules,
  };
}

export function parsePolicySource(yamlText: string): PolicySource {
  const raw = parse(yamlText) as {
    parameters?: { allowedRegistry?: { description?: unknown; default?: unknown } };
    policies?: unknown[];
  };
  const registry = raw.parameters?.allowedRegistry;
  if (typeof registry?.default !== 'string' || !registry.default.endsWith('/'))
    throw new Error(`${RULES_FILE}: parameters.allowedRegistry.default must be a string ending in '/'`);
  if (typeof registry.description !== 'string') throw new Error(`${RULES_FILE}: allowedRegistry.description`);
  if (!Array.isArray(raw.policies) || raw.policies.length === 0)
    throw new Error(`${RULES_FILE}: no policies`);
  return {
    allowedRegistry: { description: registry.description, default: registry.default },
    policies: raw.policies.map((policy, i) => checkPolicy(policy, `${RULES_FILE} policies[${i}]`)),
  };
}

export function readPolicySource(repoRoot: string): PolicySource {
  return parsePolicySource(readFileSync(join(repoRoot, RULES_FILE), 'utf8'));
}
