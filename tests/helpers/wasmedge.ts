// Provides the project's WasmEdge (installed by scripts/install-wasmedge.sh into .tools/) and runs
// tracker.wasm under it. Tests that need WasmEdge fail when it cannot be provided; they never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_DIR, REPO_ROOT } from './shared-data.js';

export const WASMEDGE = join(REPO_ROOT, '.tools/wasmedge/bin/wasmedge');
/** WasmEdge built without LLVM by scripts/build-wasmedge-runtime.sh: runs AOT modules, cannot compile. */
export const LLVM_FREE_WASMEDGE = join(REPO_ROOT, '.tools/wasmedge-runtime/bin/wasmedge');
export const TRACKER_WASM = join(REPO_ROOT, 'build/tracker.wasm');
export const TRACKER_AOT = join(REPO_ROOT, 'build/tracker.aot.wasm');
export const TRACKER_GENERIC_AOT = join(REPO_ROOT, 'build/tracker.generic.aot.wasm');
/**
 * The standalone HTTP server (npm run build:server) and its AOT forms, compiled next to it.
 * EDGETRACE_SERVER_WASM points the tests at another build of it (a work-in-progress copy built with
 * `asc ... --outFile`), so a test run never races a rebuild of build/.
 */
export const SERVER_WASM =
  process.env['EDGETRACE_SERVER_WASM'] ?? join(REPO_ROOT, 'build/tracker-server.wasm');
export const SERVER_AOT = SERVER_WASM.replace(/\.wasm$/, '.aot.wasm');
export const SERVER_GENERIC_AOT = SERVER_WASM.replace(/\.wasm$/, '.generic.aot.wasm');

export function ensureWasmEdge(): string {
  if (!existsSync(WASMEDGE)) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts/install-wasmedge.sh')], { stdio: 'inherit' });
  }
  if (!existsSync(WASMEDGE)) throw new Error(`WasmEdge is not available at ${WASMEDGE}`);
  return WASMEDGE;
}

/**
 * Provides the LLVM-free WasmEdge: the build script is cached by its sources' hashes (in
 * ~/.cache/edgetrace), so this costs nothing after the machine's first build (about 7 minutes).
 */
export function ensureLlvmFreeWasmEdge(): string {
  execFileSync('bash', [join(REPO_ROOT, 'scripts/build-wasmedge-runtime.sh')], { stdio: 'inherit' });
  if (!existsSync(LLVM_FREE_WASMEDGE))
    throw new Error(`the LLVM-free WasmEdge is not at ${LLVM_FREE_WASMEDGE}`);
  return LLVM_FREE_WASMEDGE;
}

/** AOT-compiles tracker.wasm (cached until the .wasm changes). */
export function ensureAotModule(): string {
  return compileOnce(TRACKER_AOT, []);
}

/**
 * AOT-compiles tracker.wasm with Debian's WasmEdge for any CPU of the architecture
 * (`--generic-binary`), the form the LLVM-free runtime runs (cached until the .wasm changes).
 */
export function ensureGenericAotModule(): string {
  return compileOnce(TRACKER_GENERIC_AOT, ['--generic-binary']);
}

function compileOnce(output: string, flags: readonly string[], input: string = TRACKER_WASM): string {
  ensureWasmEdge();
  const fresh = existsSync(output) && statSync(output).mtimeMs >= statSync(input).mtimeMs;
  if (!fresh) {
    // Test files run in parallel workers that may compile the same module at once: each writes its
    // own file and renames it into place, so no worker ever loads another's half-written output
    // (WasmEdge then fails to load it, exit 1).
    const partial = `${output}.${process.pid}.partial`;
    execFileSync(WASMEDGE, ['compile', ...flags, input, partial], { stdio: 'pipe' });
    renameSync(partial, output);
  }
  return output;
}

/** Runs a module's WASI command entry with `input` on stdin under `runtime`; returns stdout. */
export function runCommand(modulePath: string, input: Uint8Array, runtime: string = WASMEDGE): Buffer {
  const result = spawnSync(runtime, [modulePath], { input, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`wasmedge exited with ${result.status}: ${result.stderr.toString()}`);
  }
  return result.stdout;
}

/**
 * AOT-compiles tracker-server.wasm (cached until the .wasm changes); `generic` for any CPU of the
 * architecture, the form the LLVM-free runtime runs. Fails when the server was not built.
 */
export function ensureServerAotModule(generic = false): string {
  if (!existsSync(SERVER_WASM)) throw new Error(`${SERVER_WASM} is missing: run npm run build:server`);
  return generic
    ? compileOnce(SERVER_GENERIC_AOT, ['--generic-binary'], SERVER_WASM)
    : compileOnce(SERVER_AOT, [], SERVER_WASM);
}

function jsonDocumentsUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonDocumentsUnder(path);
      return /\.json(ld)?$/.test(name) ? [path] : [];
    });
}

/**
 * The conformance documents every WasmEdge form of tracker.wasm must answer byte for byte as Node
 * does: GS1's examples (valid and invalid) and the hash vectors, by path.
 */
export function differentialDocuments(): string[] {
  return [
    ...jsonDocumentsUnder(join(CONFORMANCE_DIR, 'epcis-examples')),
    ...jsonDocumentsUnder(join(CONFORMANCE_DIR, 'hash-vectors')),
  ];
}
