// tracker.wasm's exported interface. Library use (the Node host, through host/core/gateway.ts):
// reserve an input buffer, write a document, call prepare(), read the result from the output
// buffer; after the host has made the accepted events durable it calls commit(). Command use
// (WasmEdge, or any WASI runtime): `_start` reads one document from stdin and prints the result.
// Every entry returns a Status; none throws on bad input.
import { output, inputAddress, inputString, reserveInput } from './abi/buffers';
import { applyStoredEvents } from './abi/apply-events';
import { writeDigests } from './abi/digests';
import { writeCanonical, writeContents, writeState, writeStates, writeStats } from './abi/lookups';
import { Status } from './abi/status';
import { writeContentsAnswer, writeStateAnswer } from './abi/state-answer';
import { restoreSnapshotFromFd, restoreSnapshotFromInput, writeSnapshotRanges } from './abi/snapshot';
import { applyToState } from './capture/apply-to-state';
import { CaptureLimits } from './capture/limits';
import { PreparedBatch, prepareDocument } from './capture/prepare-document';
import { writeCaptureResult } from './capture/result-writer';
import { StateIndex } from './state/state-index';
import { validationOptions } from './validate/validation-options';

export { Status } from './abi/status';
export { _start } from './command';
export {
  snapshotKeyCount,
  snapshotKeysAdd,
  snapshotKeysHas,
  snapshotKeysReset,
  snapshotRelease,
} from './abi/snapshot';

/** Result flag: include each accepted event's pre-hash string (for debugging hash mismatches). */
export const PREPARE_WITH_PREHASH: i32 = 1;

const limits = new CaptureLimits();
let stateIndex = new StateIndex();
// A second, throw-away index for questions about the past: the host fills it with the stored events
// up to an instant that concern one EPC (applying more is harmless: the state is a function of the
// set of events) and reads the answer with the very rules of the live index.
let scratchIndex = new StateIndex();
// Prepared batches wait here, by id, while the host commits them to SQLite; a group commit can
// hold several at once.
let pending = new Map<i32, PreparedBatch>();
let lastBatchId: i32 = 0;
let nextBatchId: i32 = 1;

/** configure() flag: enforce the draft sensor rules (see validate/validation-options.ts). */
export const CONFIGURE_STRICT_SENSOR_RULES: i32 = 1;

export function configure(
  maxDocumentBytes: i32,
  maxEvents: i32,
  maxDepth: i32,
  maxIssues: i32,
  flags: i32,
): Status {
  if (maxDocumentBytes < 1 || maxEvents < 1 || maxDepth < 2 || maxIssues < 1) return Status.BadArgument;
  validationOptions.strictSensorRules = (flags & CONFIGURE_STRICT_SENSOR_RULES) != 0;
  limits.maxDocumentBytes = maxDocumentBytes;
  limits.maxEvents = maxEvents;
  limits.maxDepth = maxDepth;
  limits.maxIssues = maxIssues;
  return Status.Ok;
}

export function inputBuffer(len: i32): usize {
  return reserveInput(len);
}

export function outputPtr(): usize {
  return output.ptr;
}

export function outputLength(): i32 {
  return output.length;
}

/**
 * Processes the document in the input buffer. When events were accepted the batch stays pending
 * under preparedBatchId() until commit(id) or discard(id).
 */
export function prepare(len: i32, flags: i32): Status {
  if (len < 0) return Status.BadArgument;
  lastBatchId = 0;
  const withPrehash = (flags & PREPARE_WITH_PREHASH) != 0;
  const batch = prepareDocument(inputAddress(), len, limits, withPrehash);
  output.reset();
  writeCaptureResult(output, batch, withPrehash);
  if (batch.accepted.length > 0) {
    lastBatchId = nextBatchId++;
    if (nextBatchId <= 0) nextBatchId = 1;
    pending.set(lastBatchId, batch);
  } else {
    batch.digests.release();
  }
  return batch.status;
}

/** The id of the batch the last prepare() left pending, or 0 when it accepted nothing. */
export function preparedBatchId(): i32 {
  return lastBatchId;
}

/** How many prepared batches are waiting for commit or discard. */
export function pendingBatches(): i32 {
  return pending.size;
}

function release(id: i32): PreparedBatch | null {
  if (!pending.has(id)) return null;
  const batch = pending.get(id);
  pending.delete(id);
  return batch;
}

/** Applies a pending batch's accepted events to the state index (after the host made them durable). */
export function commit(id: i32): Status {
  const batch = release(id);
  if (batch === null) return Status.NoPendingBatch;
  applyToState(batch, stateIndex);
  batch.digests.release();
  return Status.Ok;
}

export function discard(id: i32): Status {
  const batch = release(id);
  if (batch === null) return Status.NoPendingBatch;
  batch.digests.release();
  return Status.Ok;
}

/**
 * Applies stored events (see abi/apply-events.ts for the layout) to the state index; the host's
 * start-up rebuild. Returns Ok, or BadArgument when the input is not a JSON array or some entries
 * were malformed (the well-formed ones are applied).
 */
export function applyEvents(len: i32): Status {
  if (len < 0) return Status.BadArgument;
  const malformed = applyStoredEvents(inputAddress(), len, stateIndex);
  return malformed == 0 ? Status.Ok : Status.BadArgument;
}

/** Forgets all state and pending batches (the host rebuilds by replaying stored events). */
export function resetState(): Status {
  const ids = pending.keys();
  for (let i = 0; i < ids.length; i++) discard(ids[i]);
  pending = new Map<i32, PreparedBatch>();
  stateIndex.release();
  stateIndex = new StateIndex();
  return Status.Ok;
}

/**
 * The state snapshot of the index and the key set the host filled (abi/snapshot.ts): its byte
 * ranges as JSON in the output buffer, to be copied out before any other call.
 */
export function snapshotWrite(journalSeq: i64, inboundSeq: i64, storeSeq: i64): Status {
  return writeSnapshotRanges(stateIndex, journalSeq, inboundSeq, storeSeq, output);
}

/**
 * Replaces the index with the snapshot in the input buffer (pending batches are dropped, as by
 * resetState). BadArgument, with the reason as a JSON string in the output, when it is refused.
 */
export function snapshotRestore(len: i32): Status {
  const restored = restoreSnapshotFromInput(len, output);
  if (restored === null) return Status.BadArgument;
  resetState();
  stateIndex.release();
  stateIndex = restored;
  return Status.Ok;
}

/**
 * Replaces the index with the snapshot of `size` bytes that WASI descriptor `fd` delivers (the Node
 * host serves it from the file, checking its CRC itself: abi/snapshot.ts). Like snapshotRestore.
 */
export function snapshotRestoreFd(fd: i32, size: i64): Status {
  const restored = restoreSnapshotFromFd(fd, size, output);
  if (restored === null) return Status.BadArgument;
  resetState();
  stateIndex.release();
  stateIndex = restored;
  return Status.Ok;
}

/**
 * Prepares the index for about `epcs` EPCs and `events` events in total before a replay of stored
 * events (StateIndex.reserve): the tables are sized once and the heap grows in one step.
 */
export function reserveState(epcs: i32, events: i32): Status {
  if (epcs < 0 || events < 0) return Status.BadArgument;
  stateIndex.reserve(epcs, events);
  return Status.Ok;
}

/** Empties the scratch index (freeing what it held) for the next question about the past. */
export function resetScratchState(): Status {
  scratchIndex.release();
  scratchIndex = new StateIndex();
  return Status.Ok;
}

/** Like applyEvents, into the scratch index. */
export function applyScratchEvents(len: i32): Status {
  if (len < 0) return Status.BadArgument;
  const malformed = applyStoredEvents(inputAddress(), len, scratchIndex);
  return malformed == 0 ? Status.Ok : Status.BadArgument;
}

/** Like lookupState, in the scratch index. */
export function lookupScratchState(len: i32): Status {
  return writeState(scratchIndex, inputString(len), output);
}

/** Compact states of many canonical identifiers ("\n"-separated), see abi/lookups.ts writeStates. */
export function lookupStates(len: i32): Status {
  return writeStates(stateIndex, inputString(len), output);
}

export function lookupState(len: i32): Status {
  return writeState(stateIndex, inputString(len), output);
}

export function lookupContents(len: i32): Status {
  return writeContents(stateIndex, inputString(len), output);
}

/** The final JSON of GET /epcs/{epc}/state, ready to send (abi/state-answer.ts). */
export function lookupStateAnswer(len: i32): Status {
  return writeStateAnswer(stateIndex, inputString(len), false, 0, output);
}

/** Like lookupStateAnswer, from the scratch index, with `asOf` (UTC milliseconds) in the answer. */
export function lookupScratchStateAnswer(len: i32, asOfMs: i64): Status {
  return writeStateAnswer(scratchIndex, inputString(len), true, asOfMs, output);
}

/** The final JSON of GET /epcs/{epc}/contents: the tree below a container, `depth` levels, at most `limit` nodes. */
export function lookupContentsAnswer(len: i32, depth: i32, limit: i32): Status {
  return writeContentsAnswer(stateIndex, inputString(len), depth, limit, output);
}

export function canonicalise(len: i32): Status {
  return writeCanonical(inputString(len), output);
}

/** SHA-256 of `count` length-prefixed messages in the input buffer, as hex (see abi/digests.ts). */
export function digestMessages(len: i32, count: i32): Status {
  return writeDigests(inputAddress(), len, count, output);
}

export function stats(): Status {
  return writeStats(stateIndex, output);
}

/**
 * Runs the garbage collector. The minimal runtime never collects on its own; the host calls this
 * between calls, when no managed reference lives on the Wasm stack.
 */
export function collectGarbage(): void {
  __collect();
}
