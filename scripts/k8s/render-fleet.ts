// npm run k8s:fleet -- [--table FILE] [--out DIR] [--digests FILE | --no-digests]
// One kustomize overlay per row of the fleet table, written to k8s/fleet/generated/ (git-ignored:
// the table is the source of truth, 200 generated folders in git would only drift from it).
// Deploy a site with `kubectl apply -k k8s/fleet/generated/<site>`, or the fleet with
// `kustomize build k8s/fleet/generated`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFleet } from './fleet/write-fleet.js';
import { repoRoot } from './repo-root.js';

const root = repoRoot();
const { values } = parseArgs({
  options: {
    table: { type: 'string', default: join(root, 'k8s/fleet/sites.csv') },
    out: { type: 'string', default: join(root, 'k8s/fleet/generated') },
    digests: { type: 'string', default: join(root, 'build/images/digests.json') },
    'no-digests': { type: 'boolean', default: false },
  },
});
const digestsFile = values['no-digests'] || !existsSync(values.digests) ? null : values.digests;
try {
  const sites = writeFleet({ table: values.table, out: values.out, k8sDir: join(root, 'k8s'), digestsFile });
  const pinned =
    digestsFile === null ? 'placeholder digests (no build/images/digests.json)' : `digests of ${digestsFile}`;
  console.log(`render-fleet: ${sites.length} sites from ${values.table} in ${values.out}, ${pinned}`);
} catch (error) {
  console.error(`render-fleet: ${(error as Error).message}`);
  process.exitCode = 1;
}
