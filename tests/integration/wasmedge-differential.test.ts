import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../host/core/gateway.js';
import { loadCore } from '../helpers/core.js';
import { CONFORMANCE_DIR } from '../helpers/shared-data.js';
import { ensureAotModule, ensureWasmEdge, runCommand, TRACKER_WASM } from '../helpers/wasmedge.js';

function allDocuments(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return allDocuments(path);
      return /\.json(ld)?$/.test(name) ? [path] : [];
    });
}

let core: TrackerCore;
let aotModule: string;

beforeAll(async () => {
  ensureWasmEdge();
  aotModule = ensureAotModule();
  core = await loadCore();
}, 300_000);

describe('tracker.wasm under WasmEdge', () => {
  const documents = [
    ...allDocuments(join(CONFORMANCE_DIR, 'epcis-examples')),
    ...allDocuments(join(CONFORMANCE_DIR, 'hash-vectors')),
  ];

  for (const path of documents) {
    it(`gives byte-identical results in Node, the WasmEdge interpreter and WasmEdge AOT for ${relative(CONFORMANCE_DIR, path)}`, () => {
      const input = readFileSync(path);
      const inNode = core.prepareRaw(input) + '\n';
      const interpreted = runCommand(TRACKER_WASM, input).toString('utf8');
      const compiled = runCommand(aotModule, input).toString('utf8');
      expect(interpreted).toBe(inNode);
      expect(compiled).toBe(inNode);
    });
  }

  it('rejects broken input the same way in all three', () => {
    const input = Buffer.from('{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent",');
    const inNode = core.prepareRaw(input) + '\n';
    expect(runCommand(TRACKER_WASM, input).toString('utf8')).toBe(inNode);
    expect(runCommand(aotModule, input).toString('utf8')).toBe(inNode);
  });
});
