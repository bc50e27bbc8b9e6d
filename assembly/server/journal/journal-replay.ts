// Opens the journal at start: moves a legacy journal.log into journal/, then replays the segments
// oldest first. Each must start at the seq the one before ended with; only the newest may end in a
// torn write (segment-replay.ts). The newest is left open for appends.
import { ensureDurableDirectory, listDirectory } from '../files/directories';
import { segmentFirstSeqs, segmentName } from '../files/data-file-names';
import { JOURNAL_DIR, moveLegacyJournal } from './legacy-journal';
import { replaySegment } from './segment-replay';

export class ReplaySummary {
  records: i32 = 0;
  segments: i32 = 0;
  /** Bytes cut from the end of the newest segment (a torn or garbled tail); 0 for a clean one. */
  cutBytes: i64 = 0;
  lastSeq: u64 = 0;
  /** Empty when the journal was opened and read; otherwise what failed, for the start-up message. */
  error: string = '';
  /** The newest segment, open and positioned for appends; -1 when there is none yet. */
  activeFd: i32 = -1;
  activeFirstSeq: u64 = 1;
  /** Bytes of intact records in the newest segment. */
  activeSize: i64 = 0;
}

/**
 * Replays every segment under the preopened `dataDirFd`; records with seq ≤ `afterSeq` (those a
 * snapshot already holds) are checked but not handed to `onRecord`.
 */
export function replayJournal(
  dataDirFd: i32,
  afterSeq: u64,
  onRecord: (ptr: usize, len: i32, seq: u64) => void,
): ReplaySummary {
  const summary = new ReplaySummary();
  summary.error = moveLegacyJournal(dataDirFd);
  // journal/ may be new: its entry in the data directory must be as durable as the segments in it.
  if (summary.error.length == 0) summary.error = ensureDurableDirectory(dataDirFd, JOURNAL_DIR);
  if (summary.error.length > 0) return summary;
  const listing = listDirectory(dataDirFd, JOURNAL_DIR);
  if (listing.errno != 0) {
    summary.error = 'cannot list ' + JOURNAL_DIR + '/ (WASI errno ' + listing.errno.toString() + ')';
    return summary;
  }
  const seqs = segmentFirstSeqs(listing.names);
  if (seqs.length == 0) return summary;
  let nextSeq = unchecked(seqs[0]);
  // Segments are deleted only below a snapshot's journalSeq; when no snapshot that covers them
  // was loaded, the index would silently miss their events: refuse rather than answer from it.
  if (nextSeq > afterSeq + 1) {
    summary.error =
      'the oldest segment, ' +
      JOURNAL_DIR +
      '/' +
      segmentName(nextSeq) +
      ', starts after seq ' +
      (afterSeq + 1).toString() +
      ', and no snapshot loaded holds the records before it';
    return summary;
  }
  for (let i = 0; i < seqs.length; i++) {
    const first = unchecked(seqs[i]);
    const path = JOURNAL_DIR + '/' + segmentName(first);
    if (first != nextSeq) {
      summary.error =
        path +
        ' starts at seq ' +
        first.toString() +
        ' but the segment before it ends at seq ' +
        (nextSeq - 1).toString();
      return summary;
    }
    const newest = i == seqs.length - 1;
    // A segment the loaded snapshot wholly covers (it ends where the next begins) is not read: its
    // records would only be checked, and reading 64 MiB to apply nothing is what made restarts
    // after a snapshot slow. Damage in it stays unseen until the server deletes it.
    if (!newest && unchecked(seqs[i + 1]) - 1 <= afterSeq) {
      summary.segments++;
      nextSeq = unchecked(seqs[i + 1]);
      continue;
    }
    const replay = replaySegment(dataDirFd, path, first, afterSeq, newest, onRecord);
    summary.segments++;
    summary.records += replay.records;
    if (replay.error.length > 0) {
      summary.error = replay.error;
      return summary;
    }
    nextSeq = replay.nextSeq;
    if (newest) {
      summary.cutBytes = replay.cutBytes;
      summary.activeFd = replay.fd;
      summary.activeSize = replay.size;
      summary.activeFirstSeq = first;
    }
  }
  // An empty newest segment still says which seq comes next: its name.
  summary.lastSeq = nextSeq - 1;
  return summary;
}
