// Finds and compiles build/tracker.wasm once per process; instances are cheap after that.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// From host/core/ (running through vitest) or dist/host/core/ (compiled), the repository root is
// two or three levels up.
const CANDIDATES = ['../../build/tracker.wasm', '../../../build/tracker.wasm'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

export function locateTrackerWasm(): string {
  // A build of the core somewhere else (a developer's experiment, a bench of a candidate core)
  // without touching build/: the same override tests/helpers/wasmedge.ts offers for the server.
  const override = process.env['EDGETRACE_TRACKER_WASM'];
  if (override !== undefined && override !== '') return override;
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(
      `build/tracker.wasm not found (looked at ${CANDIDATES.join(', ')}); run "npm run build:wasm"`,
    );
  }
  return found;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

export function compileTrackerWasm(path: string = locateTrackerWasm()): Promise<WebAssembly.Module> {
  let module = compiled.get(path);
  if (module === undefined) {
    module = readFile(path).then((bytes) => WebAssembly.compile(bytes));
    compiled.set(path, module);
  }
  return module;
}
