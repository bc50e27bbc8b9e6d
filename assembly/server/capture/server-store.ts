// What the server keeps across requests: the journal, the state index it feeds, the event IDs it
// holds (duplicates are never journalled twice) and the capture jobs it answered. All globals: the
// event loop collects garbage, and the minimal runtime never scans the stack.
import { CaptureLimits } from '../../capture/limits';
import { DuplicateKeySet } from '../../state/duplicate-key-set';
import { RestoredSnapshot } from '../../state/snapshot-reader';
import { StateEvent } from '../../state/state-event';
import { StateIndex } from '../../state/state-index';
import { JournalFile, ReplaySummary } from '../journal/journal-file';
import {
  declarationAt,
  declarationLength,
  findRecordMembers,
  stateAt,
  stateLength,
} from '../journal/record-members';
import { declarationTimeMs, readDeclarationTime, readStateEntry } from '../journal/state-entry-reader';
import { duplicateKey } from './journal-record';

export const journal = new JournalFile();
// Replaced once, by adoptSnapshot(), before the journal is replayed.
export let stateIndex = new StateIndex();
/** duplicateKey() of every journalled event (as 16-byte digests, see duplicate-key-set.ts). */
export let storedEventKeys = new DuplicateKeySet();
/** The inbound seq the loaded snapshot holds (0 without one): inbound records after it are applied. */
export let snapshotInboundSeq: u64 = 0;
/** captureID → the job's JSON, for GET /capture/{id} of this process's recent jobs. */
export const jobs = new Map<string, string>();
// The newest jobs only (about 250 bytes each): an older one is the sidecar's to answer, from SQLite.
const MAX_JOBS: i32 = 10_000;
const jobOrder = new Array<string>();
let oldestJob: i32 = 0;

export function rememberJob(captureId: string, json: string): void {
  jobs.set(captureId, json);
  jobOrder.push(captureId);
  if (jobs.size > MAX_JOBS) jobs.delete(unchecked(jobOrder[oldestJob++]));
  // Drop the forgotten head of the order list now and then, not on every job.
  if (oldestJob >= MAX_JOBS) {
    jobOrder.splice(0, oldestJob);
    oldestJob = 0;
  }
}
// The Node service's core limits (host/core/gateway.ts; CAPTURE_LIMIT_BYTES 16 MiB, 10,000 events).
export const captureLimits = new CaptureLimits();
captureLimits.maxDocumentBytes = 16 << 20;

let malformedRecords = 0;

/** Records whose checksum held but whose JSON was not a record (journal and inbound/ alike). */
export function malformedRecordCount(): i32 {
  return malformedRecords;
}

// Filled by every replayed record in turn (the index copies what it keeps).
const replayEvent = new StateEvent();

/**
 * Applies one journal or inbound/ record (the same fields in both) to the index and key set. Only
 * "declarationTimeMs" and "state" are read (journal/record-members.ts finds them, without parsing
 * the event text); the CRC has vouched for the rest, which is the sidecar's. The duplicate key
 * uses the state entry's event ID: both writers put the record's "eventId" there too.
 */
export function replayRecord(ptr: usize, len: i32, _seq: u64): void {
  if (
    !findRecordMembers(ptr, len) ||
    stateAt < 0 ||
    !readStateEntry(ptr + <usize>stateAt, stateLength, replayEvent)
  ) {
    malformedRecords++;
    return;
  }
  const declared = declarationAt < 0 ? 0 : readDeclarationTime(ptr + <usize>declarationAt, declarationLength);
  if (declared < 0) {
    malformedRecords++;
    return;
  }
  stateIndex.apply(replayEvent);
  const eventId = replayEvent.eventId;
  storedEventKeys.add(declared == 0 ? eventId : duplicateKey(eventId, declarationTimeMs, true));
}

/** Makes a restored snapshot (state/snapshot-reader.ts) the index and key set, before any replay. */
export function adoptSnapshot(restored: RestoredSnapshot): void {
  const index = restored.index;
  const keys = restored.keys;
  if (index === null || keys === null) return;
  stateIndex.release();
  storedEventKeys.release();
  stateIndex = index;
  storedEventKeys = keys;
  snapshotInboundSeq = restored.inboundSeq;
}

/**
 * Opens the journal's segments in the preopened data directory and replays them into the state
 * index; records with seq ≤ `afterSeq` (held by the snapshot loaded before) are checked, not applied.
 */
export function openJournal(dataDirFd: i32, segmentBytes: i64, afterSeq: u64 = 0): ReplaySummary {
  const summary = journal.open(dataDirFd, segmentBytes, afterSeq, replayRecord);
  if (summary.error.length == 0 && malformedRecords > 0) {
    // A record whose checksum holds but whose JSON does not is a bug of the writer, not a torn write.
    summary.error = malformedRecords.toString() + ' journal records are not in the expected form';
  }
  return summary;
}
