// The repository root, found from this module's own location: the same code runs from scripts/k8s/
// (vitest, TypeScript) and from dist/scripts/k8s/ (npm run k8s:check), one level apart.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'edgetrace'
    ) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`no edgetrace package.json above ${fileURLToPath(import.meta.url)}`);
}
