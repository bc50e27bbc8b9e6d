// npm run k8s:policies: renders k8s/policies/rules.yaml into the shipped manifests under
// k8s/policies/. Run it after editing the rules; npm run k8s:check fails until the files match.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.js';
import { readPolicySource } from './policy-rules.js';
import { policyFiles } from './policy-files.js';

const root = repoRoot();
for (const [path, text] of await policyFiles(readPolicySource(root), root)) {
  writeFileSync(join(root, 'k8s/policies', path), text);
  console.log(`wrote k8s/policies/${path}`);
}
