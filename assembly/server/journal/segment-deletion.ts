// Deletes the journal and inbound segments nothing needs any more, from the event loop, at most
// every CHECK_INTERVAL_MS: one small file read and three directory listings, a bounded number of
// unlinks. A segment's last seq is the next segment's first seq − 1, so no segment is read to
// decide, and the newest (active) segment of either kind is never deleted.
//
// A journal segment goes once the sidecar has stored it (DATA_DIR/journal-stored-seq) and a
// snapshot holds it; an inbound segment once this server has applied it and a snapshot holds it.
// Without a snapshot nothing is deleted: the index must stay rebuildable from what is on disk. The
// bound is the OLDEST snapshot present, not the newest: a start falls back to the older one when
// the newest fails its checksum, and it then needs the records after the older one's seqs.
import { STDOUT, readSome, writeAll } from '../../platform/wasi';
import { ERRNO_SUCCESS, fd_close, path_open } from '../../platform/wasi-sockets';
import { listDirectory, removeFile } from '../files/directories';
import { SnapshotSeqs, parseSnapshotName, segmentFirstSeqs, segmentName } from '../files/data-file-names';
import { JOURNAL_DIR } from './legacy-journal';

export const INBOUND_DIR = 'inbound';
export const SNAPSHOT_DIR = 'snapshot';
export const STORED_SEQ_FILE = 'journal-stored-seq';
const CHECK_INTERVAL_MS: i64 = 5_000;
// Unlinks per check: a backlog of segments is worked off over several checks, never in one long turn.
const MAX_DELETIONS: i32 = 64;
const CELL = memory.data(8);
const TEXT = memory.data(32);

let nextCheckMs: i64 = 0;

/** When the next check is due (the event loop's timer wakes it). */
export function segmentCheckDueMs(): i64 {
  return nextCheckMs;
}

/** The seqs of the oldest snapshot in snapshot/, or null when there is none. */
function oldestSnapshot(dataDirFd: i32): SnapshotSeqs | null {
  const listing = listDirectory(dataDirFd, SNAPSHOT_DIR);
  let oldest: SnapshotSeqs | null = null;
  for (let i = 0; i < listing.names.length; i++) {
    const seqs = parseSnapshotName(unchecked(listing.names[i]));
    if (seqs === null) continue;
    if (oldest === null || seqs.journalSeq < oldest.journalSeq) oldest = seqs;
  }
  return oldest;
}

/** DATA_DIR/journal-stored-seq (decimal digits, then a newline); 0 when absent or unreadable. */
function storedSeq(dataDirFd: i32): u64 {
  const path = String.UTF8.encode(STORED_SEQ_FILE);
  if (
    path_open(<u32>dataDirFd, 0, changetype<usize>(path), <u32>path.byteLength, 0, 2, 0, 0, CELL) !=
    ERRNO_SUCCESS
  )
    return 0;
  const fd = load<u32>(CELL);
  const n = readSome(fd, TEXT, 32);
  fd_close(fd);
  let value: u64 = 0;
  let digits = 0;
  for (let i: isize = 0; i < n; i++) {
    const c = load<u8>(TEXT + <usize>i);
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + <u64>(c - 0x30);
    digits++;
  }
  // A file being replaced is renamed into place whole; anything else is not a seq to trust.
  return digits > 0 && digits <= 19 ? value : 0;
}

/** Unlinks the segments of `dir` whose last seq ≤ `bound`, oldest first, never the newest. */
function deleteThrough(dataDirFd: i32, dir: string, bound: u64, budget: i32): i32 {
  const listing = listDirectory(dataDirFd, dir);
  if (listing.errno != 0) return 0;
  const seqs = segmentFirstSeqs(listing.names);
  let deleted = 0;
  for (let i = 0; i + 1 < seqs.length && deleted < budget; i++) {
    if (unchecked(seqs[i + 1]) - 1 > bound) break;
    if (!removeFile(dataDirFd, dir + '/' + segmentName(unchecked(seqs[i])))) break;
    deleted++;
  }
  return deleted;
}

function report(dir: string, count: i32, bound: u64): void {
  const text = String.UTF8.encode(
    '{"msg":"segments deleted","dir":"' +
      dir +
      '","count":' +
      count.toString() +
      ',"throughSeq":' +
      bound.toString() +
      '}\n',
  );
  writeAll(STDOUT, changetype<usize>(text), <usize>text.byteLength);
}

/**
 * Runs a check when one is due (true then: it allocated, the loop collects); `inboundAppliedSeq`
 * is how far this server has applied inbound/.
 */
export function deleteCoveredSegments(dataDirFd: i32, nowMs: i64, inboundAppliedSeq: u64): bool {
  if (nowMs < nextCheckMs) return false;
  nextCheckMs = nowMs + CHECK_INTERVAL_MS;
  const snapshot = oldestSnapshot(dataDirFd);
  if (snapshot === null) return true;
  const journalBound = min<u64>(storedSeq(dataDirFd), snapshot.journalSeq);
  const journalDeleted = deleteThrough(dataDirFd, JOURNAL_DIR, journalBound, MAX_DELETIONS);
  if (journalDeleted > 0) report(JOURNAL_DIR, journalDeleted, journalBound);
  const inboundBound = min<u64>(inboundAppliedSeq, snapshot.inboundSeq);
  const inboundDeleted = deleteThrough(dataDirFd, INBOUND_DIR, inboundBound, MAX_DELETIONS - journalDeleted);
  if (inboundDeleted > 0) report(INBOUND_DIR, inboundDeleted, inboundBound);
  return true;
}
