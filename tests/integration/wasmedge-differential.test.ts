import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../host/core/gateway.js';
import { loadCore } from '../helpers/core.js';
import { epcisDocument, objectEvent, sgln, sgtin } from '../helpers/epcis-builders.js';
import { CONFORMANCE_DIR } from '../helpers/shared-data.js';
import {
  differentialDocuments,
  ensureAotModule,
  ensureWasmEdge,
  runCommand,
  TRACKER_WASM,
} from '../helpers/wasmedge.js';

let core: TrackerCore;
let aotModule: string;

beforeAll(async () => {
  ensureWasmEdge();
  aotModule = ensureAotModule();
  core = await loadCore();
}, 300_000);

describe('tracker.wasm under WasmEdge', () => {
  const documents = differentialDocuments();

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

  it('reads a document larger than its first stdin buffer (1000 events, ~700 KB) exactly as Node does', () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      objectEvent(
        new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        'OBSERVE',
        [sgtin(i), sgtin(i + 100_000)],
        {
          bizStep: 'shipping',
          readPoint: sgln('00011'),
        },
      ),
    );
    const input = Buffer.from(JSON.stringify(epcisDocument(events)));
    expect(input.length).toBeGreaterThan(128 * 1024);
    const inNode = core.prepareRaw(input) + '\n';
    expect(runCommand(aotModule, input).toString('utf8')).toBe(inNode);
  });

  it('rejects broken input the same way in all three', () => {
    const input = Buffer.from('{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent",');
    const inNode = core.prepareRaw(input) + '\n';
    expect(runCommand(TRACKER_WASM, input).toString('utf8')).toBe(inNode);
    expect(runCommand(aotModule, input).toString('utf8')).toBe(inNode);
  });
});
