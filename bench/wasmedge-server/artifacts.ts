// What the benchmark runs, built at bench time into its work folder (never into build/, which other
// work rebuilds): tracker-server.wasm AOT-compiled for any x86-64 (`--generic-binary`, the form the
// LLVM-free runtime runs), the WASI hello floor built with asc and AOT-compiled twice (generic for
// the LLVM-free runtime, native for Debian's), the native C floor and the C cold-start prober.
// Each output is rebuilt only when its input is newer.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './bench-settings.js';

export const DEBIAN_WASMEDGE = join(REPO_ROOT, '.tools/wasmedge/bin/wasmedge');
export const LLVM_FREE_WASMEDGE = join(REPO_ROOT, '.tools/wasmedge-runtime/bin/wasmedge');
const SOURCES = join(REPO_ROOT, 'bench/wasmedge-server');

export interface Artifacts {
  serverGenericAot: string;
  helloGenericAot: string;
  helloNativeAot: string;
  helloNative: string;
  prober: string;
}

function stale(output: string, inputs: string[]): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => statSync(input).mtimeMs > built);
}

function build(output: string, inputs: string[], command: string, args: string[]): string {
  if (stale(output, inputs)) {
    console.error(`building ${output}`);
    execFileSync(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return output;
}

function aot(input: string, output: string, generic: boolean): string {
  const flags = generic ? ['--generic-binary'] : [];
  return build(output, [input], DEBIAN_WASMEDGE, ['compile', ...flags, input, output]);
}

/** Fails with what to run when a runtime is missing (the bench installs nothing system-wide). */
function requireTools(): void {
  const missing: string[] = [];
  if (!existsSync(DEBIAN_WASMEDGE)) missing.push(`${DEBIAN_WASMEDGE} (npm run setup:wasmedge)`);
  if (!existsSync(LLVM_FREE_WASMEDGE))
    missing.push(`${LLVM_FREE_WASMEDGE} (bash scripts/build-wasmedge-runtime.sh)`);
  if (spawnSync('wrk', ['-v']).error !== undefined) missing.push('wrk (bash scripts/ensure-wrk.sh)');
  if (missing.length > 0) throw new Error(`bench:wasmedge needs ${missing.join(' and ')}`);
}

const pathTag = (path: string) => createHash('sha256').update(path).digest('hex').slice(0, 8);

export function buildArtifacts(serverWasm: string, workDir: string): Artifacts {
  requireTools();
  if (!existsSync(serverWasm)) throw new Error(`${serverWasm} is missing: npm run build:server`);
  const dir = join(workDir, 'artifacts');
  mkdirSync(dir, { recursive: true });
  const helloSource = join(SOURCES, 'floors/hello-server.ts');
  const helloWasm = build(
    join(dir, 'hello-server.wasm'),
    [helloSource],
    join(REPO_ROOT, 'node_modules/.bin/asc'),
    [helloSource, '--target', 'server', '--outFile', join(dir, 'hello-server.wasm')],
  );
  const cc = (source: string, output: string) =>
    build(output, [source], 'cc', ['-O2', '-Wall', '-o', output, source]);
  return {
    // Named by the module's path too: a module elsewhere with an older mtime is still compiled anew.
    serverGenericAot: aot(
      serverWasm,
      join(dir, `tracker-server-${pathTag(serverWasm)}.generic.aot.wasm`),
      true,
    ),
    helloGenericAot: aot(helloWasm, join(dir, 'hello-server.generic.aot.wasm'), true),
    helloNativeAot: aot(helloWasm, join(dir, 'hello-server.aot.wasm'), false),
    helloNative: cc(join(SOURCES, 'floors/hello-server.c'), join(dir, 'hello-server-native')),
    prober: cc(join(SOURCES, 'prober/cold-start-probe.c'), join(dir, 'cold-start-probe')),
  };
}
