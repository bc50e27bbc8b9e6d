// The runtime we run AOT modules with: WasmEdge 0.14.1 built without LLVM (scripts/build-wasmedge-
// runtime.sh). Debian's LLVM-enabled build compiles tracker.wasm for any CPU (--generic-binary); the
// LLVM-free build must run that module and answer byte for byte as tracker.wasm does in Node (the
// differential test's reference), and must not load libLLVM (the ~13 ms it costs at every start).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../host/core/gateway.js';
import { loadCore } from '../helpers/core.js';
import { epcisDocument, objectEvent, sgln, sgtin } from '../helpers/epcis-builders.js';
import { CONFORMANCE_DIR, REPO_ROOT } from '../helpers/shared-data.js';
import {
  differentialDocuments,
  ensureGenericAotModule,
  ensureLlvmFreeWasmEdge,
  runCommand,
  TRACKER_WASM,
} from '../helpers/wasmedge.js';

/** The shared libraries the dynamic loader maps for `binary`, by file name. */
function linkedLibraries(binary: string): string[] {
  const listing = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '')
    .map((name) => name.split('/').pop() ?? name);
}

let runtime: string;
let aotModule: string;
let core: TrackerCore;

// The first build on a machine takes about 7 minutes of 2 cores; later runs find it in the cache.
beforeAll(async () => {
  runtime = ensureLlvmFreeWasmEdge();
  aotModule = ensureGenericAotModule();
  core = await loadCore();
}, 1_200_000);

describe('the LLVM-free WasmEdge runtime', () => {
  it('links no libLLVM: only the C and C++ runtime libraries of the system', () => {
    const libraries = linkedLibraries(runtime);
    expect(libraries.filter((name) => /llvm|wasmedge/i.test(name))).toEqual([]);
    for (const name of libraries) {
      expect(name).toMatch(/^(linux-vdso|ld-linux|libstdc\+\+|libm|libgcc_s|libc)[.-]/);
    }
  });

  it('is WasmEdge 0.14.1 and cannot compile (no LLVM inside)', () => {
    expect(execFileSync(runtime, ['--version'], { encoding: 'utf8' })).toMatch(/version 0\.14\.1\b/);
    const dir = mkdtempSync(join(tmpdir(), 'edgetrace-wasmedge-'));
    const output = join(dir, 'tracker.aot.wasm');
    const compile = spawnSync(runtime, ['compile', TRACKER_WASM, output], { encoding: 'utf8' });
    const created = existsSync(output);
    rmSync(dir, { recursive: true, force: true });
    expect(compile.stderr + compile.stdout).toMatch(/Compilation is not supported/);
    expect(compile.status).not.toBe(0);
    expect(created).toBe(false);
  });

  const documents = differentialDocuments();
  for (const path of documents) {
    it(`runs the AOT module compiled by Debian's WasmEdge and answers as Node does for ${relative(CONFORMANCE_DIR, path)}`, () => {
      const input = readFileSync(path);
      expect(runCommand(aotModule, input, runtime).toString('utf8')).toBe(core.prepareRaw(input) + '\n');
    });
  }

  it('answers as Node does for a 1000-event document and for broken input', () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      objectEvent(new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), 'OBSERVE', [sgtin(i)], {
        bizStep: 'shipping',
        readPoint: sgln('00011'),
      }),
    );
    for (const input of [
      Buffer.from(JSON.stringify(epcisDocument(events))),
      Buffer.from('{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent",'),
    ]) {
      expect(runCommand(aotModule, input, runtime).toString('utf8')).toBe(core.prepareRaw(input) + '\n');
    }
  });
});

describe('scripts/build-wasmedge-runtime.sh', () => {
  const script = join(REPO_ROOT, 'scripts/build-wasmedge-runtime.sh');
  const vendored = join(REPO_ROOT, '../shared/vendor/wasmedge');

  /** A fresh clone elsewhere on the machine: only the script and what it sources, beside nothing it could reuse. */
  function freshClone(): { dir: string; run: (env: Record<string, string>) => ReturnType<typeof spawnSync> } {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrace-clone-'));
    mkdirSync(join(dir, 'scripts/lib'), { recursive: true });
    copyFileSync(script, join(dir, 'scripts/build-wasmedge-runtime.sh'));
    copyFileSync(join(REPO_ROOT, 'scripts/lib/common.sh'), join(dir, 'scripts/lib/common.sh'));
    return {
      dir,
      run: (env) =>
        spawnSync('bash', [join(dir, 'scripts/build-wasmedge-runtime.sh'), '--print-path'], {
          encoding: 'utf8',
          env: { ...process.env, ...env },
        }),
    };
  }

  it('gives a fresh clone the cached build without building again', () => {
    const clone = freshClone();
    try {
      const result = clone.run({ EDGETRACE_WASMEDGE_SOURCES: vendored });
      expect(result.status, String(result.stderr)).toBe(0);
      expect(String(result.stderr)).not.toMatch(/building WasmEdge/);
      const installed = String(result.stdout).trim();
      expect(installed).toBe(join(clone.dir, '.tools/wasmedge-runtime/bin/wasmedge'));
      expect(readFileSync(installed).equals(readFileSync(runtime))).toBe(true);
    } finally {
      rmSync(clone.dir, { recursive: true, force: true });
    }
  });

  it('refuses sources that do not match SHA256SUMS, before building anything, and says which', () => {
    const clone = freshClone();
    const sources = join(clone.dir, 'vendor');
    const cache = join(clone.dir, 'cache');
    try {
      mkdirSync(sources);
      for (const name of readdirSync(vendored)) copyFileSync(join(vendored, name), join(sources, name));
      writeFileSync(join(sources, 'spdlog-1.13.0.tar.xz'), 'not the tarball');
      const result = clone.run({ EDGETRACE_WASMEDGE_SOURCES: sources, EDGETRACE_CACHE_DIR: cache });
      expect(result.status).not.toBe(0);
      expect(String(result.stderr)).toMatch(/ERROR: the tarballs in .*vendor do not match their SHA256SUMS/);
      expect(String(result.stderr)).toMatch(/spdlog-1\.13\.0\.tar\.xz: FAILED/);
      expect(String(result.stderr)).not.toMatch(/building WasmEdge/);
    } finally {
      rmSync(clone.dir, { recursive: true, force: true });
    }
  });
});
