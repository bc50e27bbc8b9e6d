// Provides the project's WasmEdge (installed by scripts/install-wasmedge.sh into .tools/) and runs
// tracker.wasm under it. Tests that need WasmEdge fail when it cannot be provided; they never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared-data.js';

export const WASMEDGE = join(REPO_ROOT, '.tools/wasmedge/bin/wasmedge');
export const TRACKER_WASM = join(REPO_ROOT, 'build/tracker.wasm');
export const TRACKER_AOT = join(REPO_ROOT, 'build/tracker.aot.wasm');

export function ensureWasmEdge(): string {
  if (!existsSync(WASMEDGE)) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts/install-wasmedge.sh')], { stdio: 'inherit' });
  }
  if (!existsSync(WASMEDGE)) throw new Error(`WasmEdge is not available at ${WASMEDGE}`);
  return WASMEDGE;
}

/** AOT-compiles tracker.wasm (cached until the .wasm changes). */
export function ensureAotModule(): string {
  ensureWasmEdge();
  const fresh = existsSync(TRACKER_AOT) && statSync(TRACKER_AOT).mtimeMs >= statSync(TRACKER_WASM).mtimeMs;
  if (!fresh) execFileSync(WASMEDGE, ['compile', TRACKER_WASM, TRACKER_AOT], { stdio: 'pipe' });
  return TRACKER_AOT;
}

/** Runs a module's WASI command entry with `input` on stdin; returns stdout. */
export function runCommand(modulePath: string, input: Uint8Array): Buffer {
  const result = spawnSync(WASMEDGE, [modulePath], { input, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`wasmedge exited with ${result.status}: ${result.stderr.toString()}`);
  }
  return result.stdout;
}
