import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoreStatus } from '../../../host/core/status.js';
import { locateTrackerWasm } from '../../../host/core/wasm-module.js';
import { exportedGlobal } from '../../../host/core/wasm-instance.js';

const module = new WebAssembly.Module(readFileSync(locateTrackerWasm()));

describe('tracker.wasm', () => {
  it('imports nothing but WASI preview 1, so it runs in Node and WasmEdge alike', () => {
    const imports = WebAssembly.Module.imports(module);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => i.module !== 'wasi_snapshot_preview1')).toEqual([]);
  });

  it('exports a WASI command entry and the library entry points', () => {
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '_start',
        'memory',
        'prepare',
        'commit',
        'discard',
        'lookupState',
        'lookupContents',
        'lookupStates',
        'lookupContentsAnswer',
        'resetScratchState',
        'applyScratchEvents',
        'lookupScratchState',
      ]),
    );
  });

  it('uses the same status codes as the host', () => {
    const names = Object.keys(CoreStatus).filter((key) => Number.isNaN(Number(key)));
    for (const name of names) {
      expect(exportedGlobal(module, `Status.${name}`), name).toBe(
        CoreStatus[name as keyof typeof CoreStatus],
      );
    }
  });
});
