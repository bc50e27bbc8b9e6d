// The one place in the host that talks to tracker.wasm. It owns the instance, moves bytes in and
// out of Wasm memory, turns status codes into typed results or errors, and replaces the instance
// after a trap (a trapped AssemblyScript instance cannot be trusted: its heap may be half-updated).
// Everything else in the host sees only this typed API.
import { stateEntry } from './state-entry.js';
import { type BriefRow, decodeBriefStates } from './brief-state.js';
import { CoreError, CoreTrapError } from './errors.js';
import { CoreStatus } from './status.js';
import type {
  BriefState,
  CanonicalIdentifier,
  CaptureResult,
  ContainerContents,
  CoreLimits,
  EpcState,
  IndexStats,
  StoredStateEvent,
} from './types.js';
import { hostReadPort, HOST_READ_FD } from './host-reads.js';
import { SnapshotFileFeed } from './snapshot-file-feed.js';
import { compileTrackerWasm, locateTrackerWasm } from './wasm-module.js';
import { coreBuildId } from './core-build-id.js';
import { instantiateTracker, type TrackerExports } from './wasm-instance.js';

export const DEFAULT_CORE_LIMITS: Readonly<CoreLimits> = Object.freeze({
  maxDocumentBytes: 64 * 1024 * 1024,
  maxEvents: 10_000,
  maxDepth: 64,
  maxIssues: 1000,
  strictSensorRules: false,
});

const CONFIGURE_STRICT_SENSOR_RULES = 1;

const WITH_PREHASH = 1;
// The minimal runtime collects only when asked; lookups allocate little, so collect now and then.
const LOOKUPS_PER_COLLECTION = 4096;
const COLLECT_AFTER_BYTES = 512 * 1024;
const FORCED_COLLECT_AFTER_BYTES = 16 * COLLECT_AFTER_BYTES;
// EPCs per batch lookup call: bounds the input and output buffers (about 100 KB of each, some
// 60 KB more output when all of them are in transit).
const BRIEF_BATCH = 2048;

export interface TrackerCoreOptions {
  wasmPath?: string;
  limits?: Partial<CoreLimits>;
  /**
   * Called with the fresh core after a trap replaced the instance, so the owner can rebuild the
   * state index (for example by replaying stored events).
   */
  onInstanceReplaced?: (core: TrackerCore) => void;
  /** How instances are made; tests wrap the real instance to provoke a trap. */
  instantiate?: (module: WebAssembly.Module) => TrackerExports;
}

interface LookupOptions {
  /** For lookups that allocate in proportion to their input or output bytes (batch, tree). */
  countGarbage?: (inputBytes: number, outputBytes: number) => number;
}

/** A snapshot file restored into the index: its seqs and the host tag its header carries. */
export interface RestoredSnapshotFile {
  journalSeq: number;
  inboundSeq: number;
  storeSeq: number;
  hostTag: Uint8Array;
}

export interface PrepareOptions {
  withPrehash?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export class TrackerCore {
  private exports: TrackerExports;
  private lookupsSinceCollection = 0;
  private bytesSinceCollection = 0;
  private instanceCount = 1;

  private constructor(
    private readonly module: WebAssembly.Module,
    /** SHA-256 of the tracker.wasm bytes (core-build-id.ts): which build a snapshot must come from. */
    readonly buildId: Uint8Array,
    readonly limits: Readonly<CoreLimits>,
    private readonly onInstanceReplaced: ((core: TrackerCore) => void) | undefined,
    private readonly instantiate: (module: WebAssembly.Module) => TrackerExports,
  ) {
    this.exports = this.newInstance();
  }

  static async load(options: TrackerCoreOptions = {}): Promise<TrackerCore> {
    const path = options.wasmPath ?? locateTrackerWasm();
    const [module, buildId] = await Promise.all([compileTrackerWasm(path), coreBuildId(path)]);
    const limits = Object.freeze({ ...DEFAULT_CORE_LIMITS, ...options.limits });
    return new TrackerCore(
      module,
      buildId,
      limits,
      options.onInstanceReplaced,
      options.instantiate ?? instantiateTracker,
    );
  }

  /** How many instances this core has had (1 + the number of traps survived). */
  get instances(): number {
    return this.instanceCount;
  }

  /**
   * Parses, validates, normalises and hashes a document. Nothing changes in the state index until
   * commit(result.batchId); every batch with accepted events must be committed or discarded.
   */
  prepare(document: Uint8Array, options: PrepareOptions = {}): CaptureResult {
    const { text, batchId } = this.prepareText(document, options);
    const result = JSON.parse(text) as CaptureResult;
    result.batchId = batchId;
    return result;
  }

  /** The result exactly as the core wrote it (the bytes the WASI command entry prints). */
  prepareRaw(document: Uint8Array, options: PrepareOptions = {}): string {
    const { text, batchId } = this.prepareText(document, options);
    if (batchId !== 0) this.discard(batchId);
    return text;
  }

  private prepareText(document: Uint8Array, options: PrepareOptions): { text: string; batchId: number } {
    return this.guard('prepare', (wasm) => {
      const ptr = wasm.inputBuffer(document.length);
      new Uint8Array(wasm.memory.buffer, ptr, document.length).set(document);
      wasm.prepare(document.length, options.withPrehash === true ? WITH_PREHASH : 0);
      const batchId = wasm.preparedBatchId();
      const text = this.readOutput(wasm);
      this.collectIfDue(wasm, document.length);
      return { text, batchId };
    });
  }

  /** Applies a prepared batch's accepted events to the state index. */
  commit(batchId: number): void {
    this.guard('commit', (wasm) => {
      const status = wasm.commit(batchId);
      this.collectIfDue(wasm, 0);
      if (status !== CoreStatus.Ok) throw new CoreError(status, `no prepared batch ${batchId} to commit`);
    });
  }

  /** Drops a prepared batch (the store refused it); unknown ids are ignored. */
  discard(batchId: number): void {
    this.guard('discard', (wasm) => {
      wasm.discard(batchId);
      this.collectIfDue(wasm, 0);
    });
  }

  /** prepare() and commit() in one step, for callers with no store in between (tests, replay). */
  capture(document: Uint8Array, options: PrepareOptions = {}): CaptureResult {
    const result = this.prepare(document, options);
    if (result.batchId !== 0) this.commit(result.batchId);
    return result;
  }

  /** How many prepared batches wait for commit or discard. */
  get pendingBatches(): number {
    return this.guard('pendingBatches', (wasm) => wasm.pendingBatches());
  }

  /** Current state of an EPC (URN or Digital Link), or null when the index has never seen it. */
  state(epc: string): EpcState | null {
    return this.lookup('state', epc, (wasm, len) => wasm.lookupState(len)) as EpcState | null;
  }

  /**
   * GET /epcs/{epc}/state's answer, as the UTF-8 JSON bytes to send (assembly/abi/state-answer.ts),
   * or null when the index has never seen the EPC.
   */
  stateAnswer(epc: string): Buffer | null {
    return this.answer('stateAnswer', epc, (wasm, len) => wasm.lookupStateAnswer(len));
  }

  /** Like stateAnswer, from the scratch index (see resetScratch), with `asOf` in the answer. */
  scratchStateAnswer(epc: string, asOfMs: number): Buffer | null {
    return this.answer('scratchStateAnswer', epc, (wasm, len) =>
      wasm.lookupScratchStateAnswer(len, BigInt(asOfMs)),
    );
  }

  /**
   * GET /epcs/{epc}/contents's answer as the bytes to send: the tree below a container, `depth`
   * levels deep and at most `limit` nodes; null when the index has never seen the container.
   */
  contentsAnswer(container: string, depth: number, limit: number): Buffer | null {
    // Each node allocates its key and a sorted array of its children's keys: about as many bytes
    // of garbage as the answer has, counted towards the next collection.
    return this.answer(
      'contentsAnswer',
      container,
      (wasm, len) => wasm.lookupContentsAnswer(len, depth, limit),
      {
        countGarbage: (_input, output) => 2 * output,
      },
    );
  }

  /** The EPCs directly inside a container now. */
  contents(container: string): ContainerContents {
    return this.lookup('contents', container, (wasm, len) => wasm.lookupContents(len)) as ContainerContents;
  }

  /**
   * Effective location, transit, disposition and decommissioning of many canonical identifiers in
   * one call (null for those the index has never seen), in the order given.
   */
  briefStates(epcs: readonly string[]): (BriefState | null)[] {
    const out: (BriefState | null)[] = [];
    for (let at = 0; at < epcs.length; at += BRIEF_BATCH) {
      const batch = epcs.slice(at, at + BRIEF_BATCH);
      const text = batch.join('\n');
      // The core splits the input into one UTF-16 string per EPC and, for each EPC in transit in a
      // container, makes that container's key (an identifier like an input line): count that garbage.
      const { values, states } = this.lookup('briefStates', text, (wasm, len) => wasm.lookupStates(len), {
        countGarbage: (input) => 5 * input,
      }) as { values: string[]; states: (BriefRow | null)[] };
      for (const state of decodeBriefStates(states, values)) out.push(state);
    }
    return out;
  }

  /**
   * Questions about the past, answered by a scratch index inside the core with the live index's
   * own rules: empty it, apply the stored events that matter (any superset is fine, the state is
   * a function of the set of events), then look up.
   */
  resetScratch(): void {
    this.guard('resetScratch', (wasm) => {
      wasm.resetScratchState();
    });
  }

  applyScratch(events: readonly StoredStateEvent[]): void {
    this.applyTo('applyScratch', events, (wasm, len) => wasm.applyScratchEvents(len));
  }

  /** The state of an EPC in the scratch index, or null when none of its events was applied. */
  scratchState(epc: string): EpcState | null {
    return this.lookup('scratchState', epc, (wasm, len) => wasm.lookupScratchState(len)) as EpcState | null;
  }

  /** The canonical form of an identifier, as the core stores and matches it. */
  canonical(identifier: string): CanonicalIdentifier {
    return this.lookup('canonical', identifier, (wasm, len) => wasm.canonicalise(len)) as CanonicalIdentifier;
  }

  stats(): IndexStats {
    return this.guard('stats', (wasm) => {
      wasm.stats();
      return JSON.parse(this.readOutput(wasm)) as IndexStats;
    });
  }

  /** SHA-256 (lowercase hex) of each UTF-8 message, computed by the core's batch hasher. */
  sha256Hex(messages: Uint8Array[]): string[] {
    return this.guard('sha256Hex', (wasm) => {
      const total = messages.reduce((sum, m) => sum + 4 + m.length, 0);
      const ptr = wasm.inputBuffer(total);
      const view = new DataView(wasm.memory.buffer, ptr, total);
      const bytes = new Uint8Array(wasm.memory.buffer, ptr, total);
      let at = 0;
      for (const message of messages) {
        view.setUint32(at, message.length, true);
        bytes.set(message, at + 4);
        at += 4 + message.length;
      }
      const status = wasm.digestMessages(total, messages.length);
      if (status !== CoreStatus.Ok) throw new CoreError(status, 'digestMessages rejected its input');
      const hex = this.readOutput(wasm);
      return messages.map((_, i) => hex.slice(i * 64, i * 64 + 64));
    });
  }

  /**
   * Applies events that are already stored (validated, normalised and hashed at capture) to the
   * state index, without parsing or hashing them again: the start-up rebuild. Throws a CoreError
   * when the core found malformed entries (it still applied the well-formed ones).
   */
  applyStored(events: readonly StoredStateEvent[]): void {
    this.applyTo('applyStored', events, (wasm, len) => wasm.applyEvents(len));
  }

  private applyTo(
    operation: string,
    events: readonly StoredStateEvent[],
    apply: (wasm: TrackerExports, len: number) => number,
  ): void {
    const payload = encoder.encode(JSON.stringify(events.map(stateEntry)));
    this.guard(operation, (wasm) => {
      const ptr = wasm.inputBuffer(payload.length);
      new Uint8Array(wasm.memory.buffer, ptr, payload.length).set(payload);
      const status = apply(wasm, payload.length);
      this.collectIfDue(wasm, payload.length);
      if (status !== CoreStatus.Ok)
        throw new CoreError(status, 'the core refused some stored events as malformed');
    });
  }

  /**
   * Empties the duplicate-key set of the next snapshot (assembly/state/duplicate-key-set.ts), which
   * addSnapshotKeys() fills from the store.
   */
  resetSnapshotKeys(): void {
    this.guard('resetSnapshotKeys', (wasm) => {
      wasm.snapshotKeysReset();
    });
  }

  /** Adds duplicate keys (event ID, or event ID + "\n" + declaration time) to the snapshot's set. */
  addSnapshotKeys(keys: readonly string[]): void {
    const encoded = keys.map((key) => encoder.encode(key));
    const total = encoded.reduce((sum, bytes) => sum + 4 + bytes.length, 0);
    this.guard('addSnapshotKeys', (wasm) => {
      const ptr = wasm.inputBuffer(total);
      const view = new DataView(wasm.memory.buffer, ptr, total);
      const bytes = new Uint8Array(wasm.memory.buffer, ptr, total);
      let at = 0;
      for (const key of encoded) {
        view.setUint32(at, key.length, true);
        bytes.set(key, at + 4);
        at += 4 + key.length;
      }
      const status = wasm.snapshotKeysAdd(total, encoded.length);
      if (status !== CoreStatus.Ok) throw new CoreError(status, 'snapshotKeysAdd rejected its input');
    });
  }

  /** How many keys the snapshot's set holds, and whether it holds `key` (tests). */
  snapshotKeys(key?: string): { count: number; has: boolean } {
    return this.guard('snapshotKeys', (wasm) => {
      const count = wasm.snapshotKeyCount();
      if (key === undefined) return { count, has: false };
      const bytes = encoder.encode(key);
      const ptr = wasm.inputBuffer(bytes.length);
      new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
      return { count, has: wasm.snapshotKeysHas(bytes.length) === CoreStatus.Ok };
    });
  }

  /**
   * The state snapshot of the index and the snapshot's key set (format: assembly/state/
   * snapshot-format.ts), copied out of the core in one synchronous step so that it is one instant
   * of the index: the file's bytes, in order, the CRC still to be filled (snapshot-checksum.ts).
   */
  writeSnapshot(journalSeq: number, inboundSeq: number, storeSeq = 0): Uint8Array[] {
    return this.guard('writeSnapshot', (wasm) => {
      const status = wasm.snapshotWrite(BigInt(journalSeq), BigInt(inboundSeq), BigInt(storeSeq));
      if (status !== CoreStatus.Ok)
        throw new CoreError(status, `snapshotWrite refused seqs ${journalSeq}, ${inboundSeq}, ${storeSeq}`);
      const ranges = JSON.parse(this.readOutput(wasm)) as number[];
      const parts: Uint8Array[] = [];
      for (let i = 0; i < ranges.length; i += 2) {
        parts.push(new Uint8Array(wasm.memory.buffer, ranges[i]!, ranges[i + 1]!).slice());
      }
      wasm.snapshotRelease();
      return parts;
    });
  }

  /**
   * Replaces the state index (and the snapshot's key set) with a snapshot's; a CoreError with the
   * reason when the core refuses it (checksum, layout version, truncation), the index unchanged.
   */
  restoreSnapshot(snapshot: Uint8Array): { journalSeq: number; inboundSeq: number } {
    return this.guard('restoreSnapshot', (wasm) => {
      const ptr = wasm.inputBuffer(snapshot.length);
      new Uint8Array(wasm.memory.buffer, ptr, snapshot.length).set(snapshot);
      const status = wasm.snapshotRestore(snapshot.length);
      const answer = JSON.parse(this.readOutput(wasm)) as string | { journalSeq: number; inboundSeq: number };
      wasm.collectGarbage();
      if (status !== CoreStatus.Ok || typeof answer === 'string')
        throw new CoreError(status, `the snapshot was refused: ${String(answer)}`);
      return answer;
    });
  }

  /**
   * Replaces the state index (and the snapshot's key set) with the snapshot file at `path`, read
   * by the core straight from the file (host-reads.ts) while the host checks its CRC. A CoreError
   * with the reason when it is refused; the index is then empty (this is for a start, on an empty
   * index: a file that fails its CRC after the core read it leaves nothing behind).
   */
  restoreSnapshotFile(path: string): RestoredSnapshotFile {
    const feed = new SnapshotFileFeed(path);
    try {
      return this.guard('restoreSnapshotFile', (wasm) => {
        const port = hostReadPort(wasm.memory);
        if (port === null) throw new Error('this core instance cannot read files (no host read port)');
        const status = port.serve(feed, () => wasm.snapshotRestoreFd(HOST_READ_FD, BigInt(feed.size)));
        const answer = JSON.parse(this.readOutput(wasm)) as string | Omit<RestoredSnapshotFile, 'hostTag'>;
        if (status !== CoreStatus.Ok || typeof answer === 'string')
          throw new CoreError(status, `the snapshot was refused: ${String(answer)}`);
        if (!feed.intact()) {
          wasm.resetState();
          wasm.snapshotKeysReset();
          throw new CoreError(CoreStatus.BadArgument, 'the snapshot was refused: checksum mismatch');
        }
        return { ...answer, hostTag: feed.hostTag() };
      });
    } finally {
      feed.close();
      this.guard('collectGarbage', (wasm) => wasm.collectGarbage());
    }
  }

  /**
   * Prepares the index for about `epcs` EPCs and `events` events in total, before a replay: its
   * tables are sized once and Wasm memory grows in one step instead of doublings.
   */
  reserveState(epcs: number, events: number): void {
    this.guard('reserveState', (wasm) => {
      const clamp = (n: number) => Math.min(Math.max(0, Math.floor(n)), 0x7fffffff);
      wasm.reserveState(clamp(epcs), clamp(events));
    });
  }

  /** Empties the state index and drops pending batches, e.g. before a full replay from the store. */
  resetState(): void {
    this.guard('resetState', (wasm) => {
      wasm.resetState();
      wasm.collectGarbage();
    });
  }

  private lookup(
    operation: string,
    text: string,
    call: (wasm: TrackerExports, len: number) => number,
    options: LookupOptions = {},
  ): unknown {
    return this.ask(operation, text, call, options, (wasm, status) =>
      status === CoreStatus.NotFound ? null : (JSON.parse(this.readOutput(wasm)) as unknown),
    );
  }

  /** A lookup whose output is an answer to send as it is: a copy of its bytes, null when not found. */
  private answer(
    operation: string,
    text: string,
    call: (wasm: TrackerExports, len: number) => number,
    options: LookupOptions = {},
  ): Buffer | null {
    return this.ask(operation, text, call, options, (wasm, status) => {
      if (status === CoreStatus.NotFound) return null;
      if (status !== CoreStatus.Ok) throw new CoreError(status, `${operation} was refused`);
      // A copy: the output buffer is overwritten by the next call, perhaps before the socket took it.
      return Buffer.from(new Uint8Array(wasm.memory.buffer, wasm.outputPtr(), wasm.outputLength()));
    });
  }

  private ask<T>(
    operation: string,
    text: string,
    call: (wasm: TrackerExports, len: number) => number,
    options: LookupOptions,
    read: (wasm: TrackerExports, status: number) => T,
  ): T {
    return this.guard(operation, (wasm) => {
      const ptr = wasm.inputBuffer(text.length * 3);
      const { written } = encoder.encodeInto(text, new Uint8Array(wasm.memory.buffer, ptr, text.length * 3));
      const result = read(wasm, call(wasm, written));
      if (options.countGarbage !== undefined)
        this.collectIfDue(wasm, options.countGarbage(written, wasm.outputLength()));
      else if (++this.lookupsSinceCollection >= LOOKUPS_PER_COLLECTION) {
        this.lookupsSinceCollection = 0;
        wasm.collectGarbage();
      }
      return result;
    });
  }

  /**
   * Collects garbage once enough input has gone through the core since the last collection. The
   * minimal runtime never collects by itself. Collecting per bytes processed rather than per call
   * keeps small requests cheap, and waiting until no prepared batch is pending keeps a collection
   * from marking (and keeping) a large batch that is about to be released; a stream of overlapping
   * batches still gets collected once the garbage passes FORCED_COLLECT_AFTER_BYTES.
   */
  private collectIfDue(wasm: TrackerExports, bytes: number): void {
    this.bytesSinceCollection += bytes;
    const due = this.bytesSinceCollection >= COLLECT_AFTER_BYTES;
    if ((due && wasm.pendingBatches() === 0) || this.bytesSinceCollection >= FORCED_COLLECT_AFTER_BYTES) {
      this.bytesSinceCollection = 0;
      wasm.collectGarbage();
    }
  }

  private readOutput(wasm: TrackerExports): string {
    return decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.outputPtr(), wasm.outputLength()));
  }

  private newInstance(): TrackerExports {
    const wasm = this.instantiate(this.module);
    const { maxDocumentBytes, maxEvents, maxDepth, maxIssues, strictSensorRules } = this.limits;
    const flags = strictSensorRules ? CONFIGURE_STRICT_SENSOR_RULES : 0;
    const status = wasm.configure(maxDocumentBytes, maxEvents, maxDepth, maxIssues, flags);
    if (status !== CoreStatus.Ok)
      throw new CoreError(status, `invalid core limits ${JSON.stringify(this.limits)}`);
    return wasm;
  }

  private guard<T>(operation: string, body: (wasm: TrackerExports) => T): T {
    try {
      return body(this.exports);
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError) && !(error instanceof RangeError)) throw error;
      this.exports = this.newInstance();
      this.instanceCount += 1;
      this.onInstanceReplaced?.(this);
      throw new CoreTrapError(operation, { cause: error });
    }
  }
}
