// The k8s/ manifests as kustomize 5.6 renders them, checked by the same modules as
// `npm run k8s:check`; and each check shown to catch the fault it exists for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext, CheckModule } from '../../../scripts/k8s/check/check-module.js';
import { imagesCheck } from '../../../scripts/k8s/check/checks/images.js';
import { podShapeCheck } from '../../../scripts/k8s/check/checks/pod-shape.js';
import { probesCheck } from '../../../scripts/k8s/check/checks/probes.js';
import { schemaCheck } from '../../../scripts/k8s/check/checks/schema.js';
import { settingsCheck } from '../../../scripts/k8s/check/checks/settings.js';
import { unknownKeysCheck } from '../../../scripts/k8s/check/checks/unknown-keys.js';
import type { K8sObject, RenderedTarget } from '../../../scripts/k8s/check/k8s-object.js';
import { type Container, type PodSpec, workloads } from '../../../scripts/k8s/check/pod-spec.js';
import { runChecks } from '../../../scripts/k8s/check/run-checks.js';
import { builtDigests, OVERLAY_TARGETS, render, renderFleet } from '../../../scripts/k8s/check/targets.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

const context: CheckContext = { repoRoot: REPO_ROOT, builtDigests: builtDigests(REPO_ROOT) };
const rendered = new Map<string, RenderedTarget>();
let fleetOut = '';

beforeAll(() => {
  for (const target of OVERLAY_TARGETS(REPO_ROOT)) rendered.set(target.name, render(REPO_ROOT, target));
  fleetOut = mkdtempSync(join(tmpdir(), 'edgetrace-fleet-'));
  for (const target of renderFleet(REPO_ROOT, join(REPO_ROOT, 'k8s/fleet/sites.csv'), fleetOut)) {
    rendered.set(target.name, target);
  }
});
afterAll(() => rmSync(fleetOut, { recursive: true, force: true }));

/** A copy of a rendered target with its one workload's pod (and any object) changed. */
function changed(name: string, change: (pod: PodSpec, objects: K8sObject[]) => void): RenderedTarget {
  const target = structuredClone(rendered.get(name)!);
  change(workloads(target.objects)[0]!.pod, target.objects);
  return target;
}
const container = (pod: PodSpec, name: string): Container => pod.containers.find((c) => c.name === name)!;
/** The check's problems, sorted: kustomize's strategic merge reorders containers, so order says nothing. */
const problems = async (check: CheckModule, target: RenderedTarget) =>
  (await check.check(target, context)).sort();

describe('npm run k8s:check targets', () => {
  it('renders the base, the site, crun and hub overlays and every site of the example fleet', () => {
    expect([...rendered.keys()]).toEqual([
      'base',
      'overlays/site',
      'overlays/site-crun-wasmedge',
      'overlays/hub',
      'fleet/plant-lyon',
      'fleet/plant-porto',
      'fleet/dc-rotterdam',
      'fleet (cluster-scoped)',
    ]);
  });

  it('passes every check on every rendered target', async () => {
    for (const target of rendered.values()) {
      expect(await runChecks(target, context)).toEqual({
        target: target.name,
        objects: target.objects.length,
        problems: [],
      });
    }
  });

  it('gives a site the pod of issue 11: wasm server on :8080 and the sidecar sharing the data volume', () => {
    const [site] = workloads(rendered.get('overlays/site')!.objects);
    expect(site!.pod.runtimeClassName).toBe('wasmedge');
    expect(site!.pod.nodeSelector).toEqual({ 'node-type': 'edge' });
    expect(site!.pod.containers.map((c) => [c.name, c.image?.replace(/@.*/, '')]).sort()).toEqual([
      ['sidecar', 'registry.local/edgetrace/sidecar'],
      ['tracker-server', 'registry.local/edgetrace/tracker-server'],
    ]);
    const settings = rendered
      .get('overlays/site')!
      .objects.find((o) => o.metadata.name.startsWith('edgetrace-settings'))!;
    expect(Object.keys(settings['data'] as object)).toEqual(
      expect.arrayContaining([
        'sync_enabled',
        'sync_interval',
        'cache_enabled',
        'cache_ttl',
        'TRACKING_ENABLED',
      ]),
    );
  });

  it('runs the crun variant with the compat-smart annotation and the hub without wasm', () => {
    const [crun] = workloads(rendered.get('overlays/site-crun-wasmedge')!.objects);
    expect(crun!.pod.runtimeClassName).toBe('crun-wasmedge');
    expect(crun!.annotations['module.wasm.image/variant']).toBe('compat-smart');
    const [hub] = workloads(rendered.get('overlays/hub')!.objects);
    expect(hub!.pod.runtimeClassName).toBeUndefined();
    expect(hub!.pod.containers.map((c) => c.name)).toEqual(['hub']);
  });
});

describe('each check catches its fault', () => {
  it('schema: a field of the wrong type', async () => {
    const target = changed('overlays/site', (_pod, objects) => {
      (objects.find((o) => o.kind === 'StatefulSet')!['spec'] as { replicas: unknown }).replicas = 'one';
    });
    expect(await problems(schemaCheck, target)).toEqual([
      expect.stringContaining('replicas must be integer'),
    ]);
  });

  it('unknown-keys: a misspelt field the schema validator lets through', async () => {
    const target = changed('overlays/site', (pod) => {
      Object.assign(container(pod, 'sidecar').securityContext!, { readOnlyRootFilesytem: true });
    });
    expect(await problems(schemaCheck, target)).toEqual([]);
    expect(await problems(unknownKeysCheck, target)).toEqual([
      'StatefulSet/edgetrace/edgetrace.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem: unknown field',
    ]);
  });

  it('pod-shape: a writable root filesystem, a missing limit, an extra egress port, no edge selector', async () => {
    const target = changed('overlays/site', (pod, objects) => {
      container(pod, 'sidecar').securityContext!.readOnlyRootFilesystem = false;
      delete container(pod, 'tracker-server').resources!.limits;
      delete pod.nodeSelector;
      const policy = objects.find((o) => o.kind === 'NetworkPolicy')!['spec'] as {
        egress: { ports: { port: number }[] }[];
      };
      policy.egress[0]!.ports.push({ port: 443 });
    });
    expect(await problems(podShapeCheck, target)).toEqual([
      'StatefulSet/edgetrace/edgetrace container sidecar: root filesystem is not read-only',
      'StatefulSet/edgetrace/edgetrace container tracker-server: no cpu and memory limits',
      'StatefulSet/edgetrace/edgetrace: NetworkPolicy lets out more than DNS and the broker',
      'StatefulSet/edgetrace/edgetrace: nodeSelector lacks node-type: edge',
    ]);
  });

  it('images: a tag instead of a digest, and a digest nobody built', async () => {
    const target = changed('overlays/site', (pod) => {
      container(pod, 'sidecar').image = 'registry.local/edgetrace/sidecar:0.1.0';
      container(pod, 'tracker-server').image =
        `registry.local/edgetrace/tracker-server@sha256:${'ab'.repeat(32)}`;
    });
    expect(await problems(imagesCheck, target)).toEqual([
      'StatefulSet/edgetrace/edgetrace container sidecar: image registry.local/edgetrace/sidecar:0.1.0 is not pinned by a sha256 digest',
      `StatefulSet/edgetrace/edgetrace container tracker-server: digest sha256:${'ab'.repeat(32)} is neither the placeholder nor in build/images/digests.json`,
    ]);
  });

  it('probes: a path the wasm server does not serve, a port it does not listen on', async () => {
    const target = changed('overlays/site', (pod) => {
      const server = container(pod, 'tracker-server');
      server.readinessProbe!.httpGet!.path = '/readyz';
      server.livenessProbe!.httpGet!.port = 8081;
    });
    expect(await problems(probesCheck, target)).toEqual([
      'StatefulSet/edgetrace/edgetrace container tracker-server: livenessProbe port 8081 is not the --port it listens on (8080)',
      'StatefulSet/edgetrace/edgetrace container tracker-server: readinessProbe asks /readyz, expected /ready',
      'StatefulSet/edgetrace/edgetrace container tracker-server: readinessProbe path /readyz is not a route of tracker-server',
    ]);
  });

  it('settings: a ConfigMap key the service does not read, a site without SITE_ID, a route the core refuses', async () => {
    const target = changed('overlays/site', (_pod, objects) => {
      const settings = objects.find((o) => o.metadata.name.startsWith('edgetrace-settings'))![
        'data'
      ] as Record<string, string>;
      settings['cache_tll'] = '1m';
    });
    expect(await problems(settingsCheck, target)).toEqual([
      expect.stringMatching(
        /^ConfigMap\/edgetrace\/edgetrace-settings-\w+: cache_tll is not a setting of the service$/,
      ),
      expect.stringContaining('would not start: unknown setting file cache_tll'),
    ]);
    const unnamed = changed('overlays/site', (_pod, objects) => {
      const settings = objects.find((o) => o.metadata.name.startsWith('edgetrace-settings'))![
        'data'
      ] as Record<string, string>;
      delete settings['SITE_ID'];
    });
    expect(await problems(settingsCheck, unnamed)).toEqual([
      expect.stringContaining('would not start: SITE_ID is required when sync is on'),
    ]);
    const misrouted = changed('overlays/site', (_pod, objects) => {
      const routes = objects.find((o) => o.metadata.name.startsWith('edgetrace-site-routes'))![
        'data'
      ] as Record<string, string>;
      routes['site-routes.json'] = '{"urn:epc:id:sgln:0614141.00777": "other-site"}';
    });
    expect(await problems(settingsCheck, misrouted)).toEqual([
      expect.stringContaining('"urn:epc:id:sgln:0614141.00777" is not a valid identifier'),
    ]);
  });

  it('settings: a sidecar on another port than the server forwards to, and a flag the server does not have', async () => {
    const target = changed('overlays/site', (pod) => {
      const sidecar = container(pod, 'sidecar');
      sidecar.args![sidecar.args!.indexOf('--port') + 1] = '8082';
      container(pod, 'tracker-server').args!.push('--log-level', 'debug');
    });
    expect(await problems(settingsCheck, target)).toEqual([
      'StatefulSet/edgetrace/edgetrace container sidecar: the sidecar listens on 127.0.0.1:8082, the server forwards to 127.0.0.1:8081',
      'StatefulSet/edgetrace/edgetrace container tracker-server: tracker-server.wasm has no --log-level',
    ]);
  });
});
