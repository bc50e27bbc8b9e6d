// kustomize 5.6 from Debian trixie (scripts/install-k8s-tools.sh, into .tools/k8s/bin), run as a
// child process; its multi-document YAML output parsed into objects.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './k8s-object.js';

/** The kustomize binary, installed on first use (tests fail, not skip, when it cannot be). */
export function kustomizeBinary(repoRoot: string): string {
  const binary = join(repoRoot, '.tools/k8s/bin/kustomize');
  if (!existsSync(binary)) {
    execFileSync('bash', [join(repoRoot, 'scripts/install-k8s-tools.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return binary;
}

export function parseObjects(yamlText: string, source: string): K8sObject[] {
  return parseAllDocuments(yamlText).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return [];
    const object = value as Partial<K8sObject>;
    if (
      typeof object.apiVersion !== 'string' ||
      typeof object.kind !== 'string' ||
      typeof object.metadata?.name !== 'string'
    ) {
      throw new Error(`${source}: a document without apiVersion, kind or metadata.name`);
    }
    return [object as K8sObject];
  });
}

export function kustomizeBuild(repoRoot: string, dir: string): K8sObject[] {
  const output = execFileSync(kustomizeBinary(repoRoot), ['build', dir], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseObjects(output, `kustomize build ${dir}`);
}
