// Instantiates tracker.wasm with Node's WASI as its only import, and types its exports.
// Only the gateway uses this module.
import { WASI } from 'node:wasi';
import { HostReadPort, registerHostReadPort } from './host-reads.js';

export interface TrackerExports {
  memory: WebAssembly.Memory;
  configure(
    maxDocumentBytes: number,
    maxEvents: number,
    maxDepth: number,
    maxIssues: number,
    flags: number,
  ): number;
  inputBuffer(len: number): number;
  outputPtr(): number;
  outputLength(): number;
  prepare(len: number, flags: number): number;
  preparedBatchId(): number;
  pendingBatches(): number;
  commit(batchId: number): number;
  discard(batchId: number): number;
  resetState(): number;
  lookupState(len: number): number;
  lookupContents(len: number): number;
  canonicalise(len: number): number;
  stats(): number;
  digestMessages(len: number, count: number): number;
  applyEvents(len: number): number;
  resetScratchState(): number;
  applyScratchEvents(len: number): number;
  lookupScratchState(len: number): number;
  lookupStates(len: number): number;
  lookupStateAnswer(len: number): number;
  lookupScratchStateAnswer(len: number, asOfMs: bigint): number;
  lookupContentsAnswer(len: number, depth: number, limit: number): number;
  collectGarbage(): void;
  snapshotKeysReset(): number;
  snapshotKeysAdd(len: number, count: number): number;
  snapshotKeysHas(len: number): number;
  snapshotKeyCount(): number;
  snapshotWrite(journalSeq: bigint, inboundSeq: bigint, storeSeq: bigint): number;
  snapshotRelease(): void;
  snapshotRestore(len: number): number;
  snapshotRestoreFd(fd: number, size: bigint): number;
  reserveState(epcs: number, events: number): number;
}

const FUNCTION_EXPORTS = [
  'configure',
  'inputBuffer',
  'outputPtr',
  'outputLength',
  'prepare',
  'preparedBatchId',
  'pendingBatches',
  'commit',
  'discard',
  'resetState',
  'lookupState',
  'lookupContents',
  'canonicalise',
  'stats',
  'digestMessages',
  'applyEvents',
  'resetScratchState',
  'applyScratchEvents',
  'lookupScratchState',
  'lookupStates',
  'lookupStateAnswer',
  'lookupScratchStateAnswer',
  'lookupContentsAnswer',
  'collectGarbage',
  'snapshotKeysReset',
  'snapshotKeysAdd',
  'snapshotKeysHas',
  'snapshotKeyCount',
  'snapshotWrite',
  'snapshotRelease',
  'snapshotRestore',
] as const;

function checkExports(exports: WebAssembly.Exports): TrackerExports {
  if (!(exports['memory'] instanceof WebAssembly.Memory)) throw new Error('tracker.wasm exports no memory');
  for (const name of FUNCTION_EXPORTS) {
    if (typeof exports[name] !== 'function') throw new Error(`tracker.wasm does not export ${name}()`);
  }
  return exports as unknown as TrackerExports;
}

export function instantiateTracker(module: WebAssembly.Module): TrackerExports {
  // Library use does no I/O; stdout/stderr stay attached so an abort message reaches the log.
  const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
  const reads = new HostReadPort();
  const instance = new WebAssembly.Instance(module, withHostReads(wasi, reads));
  const exports = checkExports(instance.exports);
  reads.attach(exports.memory);
  registerHostReadPort(exports.memory, reads);
  const withFinalize = wasi as WASI & { finalizeBindings?: (i: WebAssembly.Instance) => void };
  if (typeof withFinalize.finalizeBindings === 'function') {
    withFinalize.finalizeBindings(instance);
  } else {
    // Node 20 has no finalizeBindings, and initialize() refuses a module that exports _start (our
    // command entry). Binding WASI to the memory is all initialize() would do for us, and it only
    // reads `exports.memory`, so hand it exactly that.
    wasi.initialize({ exports: { memory: exports.memory } } as unknown as WebAssembly.Instance);
  }
  return exports;
}

/** Node's WASI imports, with fd_read answering HOST_READ_FD from `reads` (host-reads.ts). */
function withHostReads(wasi: WASI, reads: HostReadPort): WebAssembly.Imports {
  const imports = wasi.getImportObject() as Record<string, Record<string, unknown>>;
  const preview1 = imports['wasi_snapshot_preview1']!;
  const wasiRead = preview1['fd_read'] as Parameters<HostReadPort['fdRead']>[0];
  return {
    ...imports,
    wasi_snapshot_preview1: { ...preview1, fd_read: reads.fdRead(wasiRead) },
  } as WebAssembly.Imports;
}

/** The value of an exported `Status.*` global (used by the ABI contract test). */
export function exportedGlobal(module: WebAssembly.Module, name: string): number | undefined {
  const instance = new WebAssembly.Instance(
    module,
    new WASI({ version: 'preview1', returnOnExit: true }).getImportObject() as WebAssembly.Imports,
  );
  const value = instance.exports[name];
  return value instanceof WebAssembly.Global ? Number(value.value) : undefined;
}
