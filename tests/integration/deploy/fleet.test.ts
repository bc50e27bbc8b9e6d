// scripts/k8s/render-fleet.ts: a fleet table of 250 sites becomes 250 overlays that kustomize
// renders in one run, each passing every k8s:check module; table mistakes stop it with their line.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackerCore } from '../../../host/core/gateway.js';
import { SiteRoutes } from '../../../host/sync/site-routes.js';
import type { RenderedTarget } from '../../../scripts/k8s/check/k8s-object.js';
import { workloads } from '../../../scripts/k8s/check/pod-spec.js';
import { runChecks } from '../../../scripts/k8s/check/run-checks.js';
import { builtDigests, renderFleet } from '../../../scripts/k8s/check/targets.js';
import { glnCheckDigitValid, parseFleetTable } from '../../../scripts/k8s/fleet/fleet-table.js';
import { writeFleet } from '../../../scripts/k8s/fleet/write-fleet.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

const SITES = 250;
const work = mkdtempSync(join(tmpdir(), 'edgetrace-fleet-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The 13-digit GLN with company prefix 0614141 and location reference n, its check digit computed. */
function gln(n: number): string {
  const body = `0614141${String(n).padStart(5, '0')}`;
  for (let digit = 0; digit <= 9; digit++)
    if (glnCheckDigitValid(`${body}${digit}`)) return `${body}${digit}`;
  throw new Error(`no check digit for ${body}`);
}

function table(rows: string[]): string {
  const file = join(work, `table-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, ['site_id,glns,node_label,runtime', ...rows].join('\n'));
  return file;
}

describe('render-fleet with 250 sites', () => {
  const rows = Array.from({ length: SITES }, (_, i) => {
    const runtime = i % 10 === 0 ? 'crun-wasmedge' : '';
    return `site-${String(i).padStart(3, '0')},${gln(2 * i)} ${gln(2 * i + 1)},edgetrace.io/site=site-${i},${runtime}`;
  });
  const out = join(work, 'generated');
  let targets: RenderedTarget[] = [];

  beforeAll(() => {
    targets = renderFleet(REPO_ROOT, table(rows), out);
  }, 600_000);

  it('renders one namespace per site and the crun RuntimeClass once, in one kustomize run', () => {
    expect(targets.map((t) => t.name)).toEqual([
      ...rows.map((row) => `fleet/${row.split(',')[0]}`),
      'fleet (cluster-scoped)',
    ]);
    expect(targets.at(-1)!.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'RuntimeClass/crun-wasmedge',
    ]);
  });

  it('gives every site its SITE_ID, node label and runtime, and passes every check', async () => {
    const context = { repoRoot: REPO_ROOT, builtDigests: builtDigests(REPO_ROOT) };
    for (const [i, target] of targets.slice(0, SITES).entries()) {
      const settings = target.objects.find((o) => o.metadata.name.startsWith('edgetrace-settings'))!;
      expect((settings['data'] as Record<string, string>)['SITE_ID']).toBe(
        `site-${String(i).padStart(3, '0')}`,
      );
      const [{ pod }] = workloads(target.objects) as [ReturnType<typeof workloads>[number]];
      expect(pod.nodeSelector).toEqual({ 'node-type': 'edge', 'edgetrace.io/site': `site-${i}` });
      expect(pod.runtimeClassName).toBe(i % 10 === 0 ? 'crun-wasmedge' : 'wasmedge');
      expect((await runChecks(target, context)).problems).toEqual([]);
    }
  }, 600_000);

  it('routes each of the 500 GLNs to its own site, as the service reads SITE_ROUTES', async () => {
    const routes = JSON.parse(readFileSync(join(out, 'fleet/site-routes.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(routes)).toHaveLength(2 * SITES);
    expect(routes[gln(2 * 173 + 1)]).toBe('site-173');
    const core = await TrackerCore.load();
    expect(() => SiteRoutes.fromObject(routes, core, 'site-routes.json')).not.toThrow();
  });

  it('pins the image digests of build/images/digests.json when given', () => {
    const digests = join(work, 'digests.json');
    const sidecar = `sha256:${'1'.repeat(64)}`;
    const server = `sha256:${'2'.repeat(64)}`;
    writeFileSync(
      digests,
      JSON.stringify({
        'edgetrace-sidecar': { digest: sidecar },
        'edgetrace-tracker-server': { digest: server },
      }),
    );
    const pinnedOut = join(work, 'pinned');
    writeFleet({
      table: table(rows.slice(0, 2)),
      out: pinnedOut,
      k8sDir: join(REPO_ROOT, 'k8s'),
      digestsFile: digests,
    });
    const component = readFileSync(join(pinnedOut, 'fleet/kustomization.yaml'), 'utf8');
    expect(component).toContain(`digest: ${sidecar}`);
    expect(component).toContain(`digest: ${server}`);
  });
});

describe('the fleet table', () => {
  const refused = (rows: string[]) => () =>
    parseFleetTable(['site_id,glns,node_label,runtime', ...rows].join('\n'), 'sites.csv');

  it('names the line of a site listed twice, a GLN routed twice, a bad check digit', () => {
    const a = `a,${gln(1)},k=v,`;
    expect(refused([a, `a,${gln(2)},k=v,`])).toThrow('sites.csv:3: site a is already on line 2');
    expect(refused([a, `b,${gln(1)},k=v,`])).toThrow(`sites.csv:3: GLN ${gln(1)} is already routed to a`);
    expect(refused(['a,0614141000006,k=v,'])).toThrow(
      'sites.csv:2: "0614141000006" is not a 13-digit GLN with a valid check digit',
    );
  });

  it('refuses a site id that cannot name a namespace, a malformed label, an unknown runtime', () => {
    expect(refused([`Plant_Lyon,${gln(1)},k=v,`])).toThrow(/sites.csv:2: site id "Plant_Lyon" must be/);
    expect(refused([`a,${gln(1)},edge nodes,`])).toThrow(
      'sites.csv:2: node label "edge nodes" is not a Kubernetes label key=value',
    );
    expect(refused([`a,${gln(1)},k=v,runc`])).toThrow(
      'sites.csv:2: runtime "runc" must be wasmedge or crun-wasmedge (or empty)',
    );
    expect(() => parseFleetTable('site,glns\n', 'sites.csv')).toThrow(
      'sites.csv:1: the header must be site_id,glns,node_label,runtime',
    );
  });

  it('never deletes a folder it did not write', () => {
    const foreign = join(work, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'kustomization.yaml'), 'resources: []\n');
    expect(() =>
      writeFleet({
        table: table([`a,${gln(1)},k=v,`]),
        out: foreign,
        k8sDir: join(REPO_ROOT, 'k8s'),
        digestsFile: null,
      }),
    ).toThrow(/holds a kustomization render-fleet did not write/);
    expect(readFileSync(join(foreign, 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
  });
});
