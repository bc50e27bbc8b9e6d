// The routes each process really serves, read from their sources, so a probe or a Service cannot
// point at a path that was renamed: tracker-server.wasm's native routes (assembly/server/
// native-routes.ts, `path == '/health'`) and the Node host's operations routes
// (host/http/routes/operations-routes.ts, `app.get('/health'`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function literals(file: string, pattern: RegExp): Set<string> {
  const text = readFileSync(file, 'utf8');
  return new Set([...text.matchAll(pattern)].map((match) => match[1]!));
}

export function wasmServerRoutes(repoRoot: string): Set<string> {
  return literals(join(repoRoot, 'assembly/server/native-routes.ts'), /\bpath == '(\/[^']*)'/g);
}

export function nodeHostOperationRoutes(repoRoot: string): Set<string> {
  return literals(join(repoRoot, 'host/http/routes/operations-routes.ts'), /\bapp\.get\('(\/[^']*)'/g);
}

/** The command-line flags tracker-server.wasm accepts (assembly/server/server-config.ts). */
export function wasmServerFlags(repoRoot: string): Set<string> {
  return literals(join(repoRoot, 'assembly/server/server-config.ts'), /'(--[a-z][a-z-]*)'/g);
}
