// The admission policies of k8s/policies, evaluated with @bufbuild/cel exactly as shipped: both
// forms (ValidatingAdmissionPolicy and Gatekeeper's CEL engine) admit the pod of every rendered
// site, crun variant, hub and fleet site, and each deny a hand-made bad pod per rule with that
// rule's message, and only that rule's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../../scripts/k8s/check/check-module.js';
import { admissionPoliciesCheck } from '../../../scripts/k8s/check/checks/admission-policies.js';
import type { RenderedTarget } from '../../../scripts/k8s/check/k8s-object.js';
import { workloads } from '../../../scripts/k8s/check/pod-spec.js';
import { OVERLAY_TARGETS, render, renderFleet } from '../../../scripts/k8s/check/targets.js';
import {
  type AdmittedPod,
  denials,
  type Engine,
  podOfTemplate,
  selects,
} from '../../../scripts/k8s/policies/pod-admission.js';
import { policyManifestProblems } from '../../../scripts/k8s/policies/policy-manifests.js';
import {
  parsePolicySource,
  readPolicySource,
  RULES_FILE,
} from '../../../scripts/k8s/policies/policy-rules.js';
import { policyFiles } from '../../../scripts/k8s/policies/policy-files.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

const source = readPolicySource(REPO_ROOT);
const context: CheckContext = { repoRoot: REPO_ROOT, builtDigests: new Set() };
const ENGINES: Engine[] = ['validating-admission-policy', 'gatekeeper'];
const rendered: RenderedTarget[] = [];
let fleetOut = '';

beforeAll(() => {
  for (const target of OVERLAY_TARGETS(REPO_ROOT)) rendered.push(render(REPO_ROOT, target));
  fleetOut = mkdtempSync(join(tmpdir(), 'edgetrace-policies-fleet-'));
  rendered.push(...renderFleet(REPO_ROOT, join(REPO_ROOT, 'k8s/fleet/sites.csv'), fleetOut));
});
afterAll(() => rmSync(fleetOut, { recursive: true, force: true }));

/** The pod each rendered workload's controller would create. */
function renderedPods(): { name: string; pod: AdmittedPod }[] {
  return rendered.flatMap((target) =>
    workloads(target.objects).map((workload) => ({
      name: target.name,
      pod: podOfTemplate(
        workload.object.metadata.namespace ?? 'default',
        (workload.object['spec'] as { template: Parameters<typeof podOfTemplate>[1] }).template,
      ),
    })),
  );
}

function sitePod(): AdmittedPod {
  return renderedPods().find((entry) => entry.name === 'fleet/plant-lyon')!.pod;
}

type Containers = {
  name: string;
  image: string;
  securityContext?: Record<string, unknown>;
  resources?: { limits?: Record<string, string> };
}[];
const containers = (pod: AdmittedPod) => pod.spec['containers'] as Containers;
const podSecurity = (pod: AdmittedPod) => pod.spec['securityContext'] as Record<string, unknown>;

/** One bad pod per rule: the site pod with exactly that rule broken. */
const BAD_PODS: Record<string, (pod: AdmittedPod) => void> = {
  'resource-limits': (pod) => delete containers(pod)[0]!.resources!.limits!['memory'],
  'non-root': (pod) => {
    containers(pod)[1]!.securityContext!['runAsUser'] = 0;
  },
  'read-only-root-filesystem': (pod) => {
    containers(pod)[0]!.securityContext!['readOnlyRootFilesystem'] = false;
  },
  'pinned-images': (pod) => {
    containers(pod)[0]!.image = 'registry.local/edgetrace/sidecar:latest';
  },
  'allowed-registry': (pod) => {
    containers(pod)[1]!.image = containers(pod)[1]!.image.replace('registry.local/', 'docker.io/');
  },
  'no-privileged': (pod) => {
    containers(pod)[0]!.securityContext!['privileged'] = true;
  },
  'no-host-path': (pod) => {
    (pod.spec['volumes'] as object[]).push({ name: 'host', hostPath: { path: '/var/lib/edgetrace' } });
  },
  'wasm-runtime-class': (pod) => {
    pod.spec['runtimeClassName'] = 'runc';
  },
  'edge-node-selector': (pod) => {
    delete (pod.spec['nodeSelector'] as Record<string, string>)['node-type'];
  },
};

describe('admission policies on the rendered manifests', () => {
  it.each(ENGINES)('admits the pod of every site, crun site, hub and fleet site (%s)', (engine) => {
    const pods = renderedPods();
    expect(pods.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        'overlays/site',
        'overlays/site-crun-wasmedge',
        'overlays/hub',
        'fleet/plant-lyon',
      ]),
    );
    for (const { name, pod } of pods)
      expect({ name, denials: denials(source, pod, { engine }) }).toEqual({ name, denials: [] });
  });

  it('applies both policies to site pods and only the hardening to the hub', () => {
    const applying = (name: string) =>
      source.policies
        .filter((policy) => selects(policy, renderedPods().find((e) => e.name === name)!.pod))
        .map((p) => p.name);
    expect(applying('fleet/plant-lyon')).toEqual(['edgetrace-pod-hardening', 'edgetrace-edge-placement']);
    expect(applying('overlays/site-crun-wasmedge')).toEqual([
      'edgetrace-pod-hardening',
      'edgetrace-edge-placement',
    ]);
    expect(applying('overlays/hub')).toEqual(['edgetrace-pod-hardening']);
  });

  it('reports nothing in npm run k8s:check for any rendered target', async () => {
    for (const target of rendered) expect(await admissionPoliciesCheck.check(target, context)).toEqual([]);
  });
});

describe('each rule denies the pod that breaks it', () => {
  it('has a bad pod for every rule of k8s/policies/rules.yaml', () => {
    const ids = source.policies.flatMap((policy) => policy.rules.map((rule) => rule.id));
    expect(Object.keys(BAD_PODS).sort()).toEqual([...ids].sort());
  });

  const cases = source.policies.flatMap((policy) =>
    policy.rules.flatMap((rule) => ENGINES.map((engine) => ({ policy: policy.name, rule, engine }))),
  );
  it.each(cases)('$rule.id denies with "$rule.message" ($engine)', ({ policy, rule, engine }) => {
    const pod = sitePod();
    BAD_PODS[rule.id]!(pod);
    expect(denials(source, pod, { engine })).toEqual([{ policy, rule: rule.id, message: rule.message }]);
  });

  it('denies a pod that sets runAsUser 0 for the whole pod', () => {
    const pod = sitePod();
    podSecurity(pod)['runAsUser'] = 0;
    expect(denials(source, pod).map((d) => d.rule)).toEqual(['non-root']);
  });

  it('denies an init container that breaks a rule like any container', () => {
    const pod = sitePod();
    pod.spec['initContainers'] = [
      { ...structuredClone(containers(pod)[0]!), name: 'init', image: 'busybox' },
    ];
    expect(denials(source, pod).map((d) => d.rule)).toEqual(['pinned-images', 'allowed-registry']);
  });

  it('takes the allowed registry from its parameter', () => {
    const pod = sitePod();
    for (const engine of ENGINES) {
      expect(denials(source, pod, { engine, allowedRegistry: 'registry.example/edgetrace/' })).toEqual([
        {
          policy: 'edgetrace-pod-hardening',
          rule: 'allowed-registry',
          message: 'every image must come from the allowed registry',
        },
      ]);
    }
  });

  it('lets the hub run without the wasm runtime but not a site outside the hub namespace', () => {
    const hub = renderedPods().find((e) => e.name === 'overlays/hub')!.pod;
    expect(denials(source, hub)).toEqual([]);
    expect(
      denials(source, { ...hub, metadata: { ...hub.metadata, namespace: 'edgetrace-plant-x' } }).map(
        (d) => d.rule,
      ),
    ).toEqual(['wasm-runtime-class', 'edge-node-selector']);
  });
});

describe('the shipped forms of k8s/policies', () => {
  const documents = (path: string) =>
    parseAllDocuments(readFileSync(join(REPO_ROOT, 'k8s/policies', path), 'utf8')).map(
      (document) => document.toJS() as { kind: string; spec: Record<string, unknown> },
    );

  it('are exactly what rules.yaml renders, and pass the schema, unknown-key and Gatekeeper checks', async () => {
    expect(await policyManifestProblems(context)).toEqual({ objects: 9, problems: [] });
  });

  it('carry the same CEL rules in the ValidatingAdmissionPolicies and the ConstraintTemplates', () => {
    const expected = source.policies.map((policy) =>
      policy.rules.map((rule) => ({
        expression: rule.expression,
        message: rule.message,
        reason: 'Forbidden',
      })),
    );
    const vap = documents('validating-admission-policy/policies.yaml')
      .filter((o) => o.kind === 'ValidatingAdmissionPolicy')
      .map((o) => o.spec['validations']);
    const gatekeeper = documents('gatekeeper/constraint-templates.yaml').map(
      (o) =>
        (o.spec as { targets: { code: { source: { validations: unknown } }[] }[] }).targets[0]!.code[0]!
          .source.validations,
    );
    expect(vap).toEqual(expected);
    expect(gatekeeper).toEqual(expected);
  });

  it('report drift when a shipped file no longer matches rules.yaml', async () => {
    const text = readFileSync(join(REPO_ROOT, RULES_FILE), 'utf8');
    const changed = parsePolicySource(
      text.replace('every container must set cpu and memory limits', 'limits please'),
    );
    expect(changed.policies[0]!.rules[0]!.message).toBe('limits please');
    const files = await policyFiles(changed, REPO_ROOT);
    expect(files.get('validating-admission-policy/policies.yaml')).not.toEqual(
      readFileSync(join(REPO_ROOT, 'k8s/policies/validating-admission-policy/policies.yaml'), 'utf8'),
    );
  });
});
