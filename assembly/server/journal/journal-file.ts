// The journal: segments DATA_DIR/journal/<first seq, 20 digits>.log of records `u32 length | u32
// crc32(seq ‖ payload) | u64 seq | payload` (little-endian; length counts the payload only), the
// newest one active. Appends are written at once and made durable by sync(), which the event loop
// calls once per turn for every request of that turn (group commit) before any answer leaves. A
// segment that has reached the segment size is closed at that sync: a request's appends never
// span two segments, so cutTo() always cuts the active one.
import { writeAll } from '../../platform/wasi';
import {
  ERRNO_SUCCESS,
  OFLAGS_CREAT,
  OFLAGS_EXCL,
  WHENCE_SET,
  fd_close,
  fd_datasync,
  fd_filestat_set_size,
  fd_seek,
} from '../../platform/wasi-sockets';
import { removeFile, syncDirectory } from '../files/directories';
import { segmentName } from '../files/data-file-names';
import { crc32 } from './crc32';
import { ReplaySummary, replayJournal } from './journal-replay';
import { JOURNAL_DIR } from './legacy-journal';
import { RECORD_HEADER_BYTES, openSegmentFile } from './segment-replay';

export { RECORD_HEADER_BYTES, ReplaySummary };
const CELL = memory.data(8);
const HEADER = memory.data(16);

export class JournalFile {
  /** The active segment. */
  fd: i32 = -1;
  /** Bytes of intact records in the active segment; an append that fails is cut back to this. */
  size: i64 = 0;
  lastSeq: u64 = 0;
  /** Records appended since the last sync(): their answers wait for it. */
  dirty: bool = false;
  /** Appends the file system refused (full disk, I/O error), for the metrics. */
  appendFailures: u64 = 0;
  /** The last append failed: /ready probes the directory until one succeeds again. */
  lastAppendFailed: bool = false;
  /** The active segment's name: never deleted. */
  activeFirstSeq: u64 = 1;
  /** A segment at least this large is closed at the next sync (JOURNAL_SEGMENT_BYTES). */
  segmentBytes: i64 = 64 << 20;
  /** The preopened data directory the segments live in. */
  dataDirFd: i32 = -1;

  /**
   * Opens the journal in the preopened directory `dataDirFd` and replays it (journal-replay.ts);
   * records with seq ≤ `afterSeq` (those a snapshot already holds) are checked, not handed over.
   */
  open(
    dataDirFd: i32,
    segmentBytes: i64,
    afterSeq: u64,
    onRecord: (ptr: usize, len: i32, seq: u64) => void,
  ): ReplaySummary {
    this.dataDirFd = dataDirFd;
    this.segmentBytes = segmentBytes;
    const summary = replayJournal(dataDirFd, afterSeq, onRecord);
    if (summary.error.length > 0) return summary;
    this.lastSeq = summary.lastSeq;
    if (summary.activeFd < 0) {
      // No segment at all: seqs go on after what the snapshot holds (0 on a new data directory),
      // never again from 1, which the sidecar would take for records it already stored.
      this.lastSeq = summary.lastSeq = afterSeq;
      summary.error = this.createSegment(afterSeq + 1);
      summary.segments = 1;
      return summary;
    }
    this.fd = summary.activeFd;
    this.size = summary.activeSize;
    this.activeFirstSeq = summary.activeFirstSeq;
    return summary;
  }

  /** Appends one record; false (and the segment as before) when it cannot be written, e.g. a full disk. */
  append(payload: usize, len: i32): bool {
    const seq = this.lastSeq + 1;
    store<u32>(HEADER, <u32>len);
    store<u64>(HEADER, seq, 8);
    store<u32>(HEADER, crc32(crc32(0, HEADER + 8, 8), payload, <usize>len), 4);
    if (
      !writeAll(<u32>this.fd, HEADER, RECORD_HEADER_BYTES) ||
      !writeAll(<u32>this.fd, payload, <usize>len)
    ) {
      // Part of the record may be on disk: cut it, so the next append does not follow garbage.
      this.appendFailures++;
      this.lastAppendFailed = true;
      fd_filestat_set_size(<u32>this.fd, <u64>this.size);
      fd_seek(<u32>this.fd, this.size, WHENCE_SET, CELL);
      return false;
    }
    this.size += RECORD_HEADER_BYTES + <i64>len;
    this.lastSeq = seq;
    this.dirty = true;
    this.lastAppendFailed = false;
    return true;
  }

  /** Cuts the appends of a request that could not be completed (it is answered 503, nothing stored). */
  cutTo(size: i64, seq: u64): void {
    fd_filestat_set_size(<u32>this.fd, <u64>size);
    fd_seek(<u32>this.fd, size, WHENCE_SET, CELL);
    this.size = size;
    this.lastSeq = seq;
  }

  /** Makes every append so far durable, then closes a full segment; false when the disk refused. */
  sync(): bool {
    if (!this.dirty) return true;
    this.dirty = false;
    if (fd_datasync(<u32>this.fd) != ERRNO_SUCCESS) return false;
    // A failed rotation leaves the active segment as it was, durable and appendable: the next
    // sync tries again, and the segment only grows past its size meanwhile.
    if (this.size >= this.segmentBytes) this.createSegment(this.lastSeq + 1);
    return true;
  }

  /**
   * Creates journal/<firstSeq>.log and makes it the active segment once its directory entry is
   * durable (the previous segment was synced before): '' or what failed.
   */
  private createSegment(firstSeq: u64): string {
    const path = JOURNAL_DIR + '/' + segmentName(firstSeq);
    const fd = openSegmentFile(this.dataDirFd, path, OFLAGS_CREAT | OFLAGS_EXCL);
    if (fd < 0) return 'cannot create ' + path + ' (WASI errno ' + (-fd).toString() + ')';
    const synced = syncDirectory(this.dataDirFd, JOURNAL_DIR);
    if (synced.length > 0) {
      // Left behind, the empty file would be the newest segment at the next start while the
      // records appended meanwhile carry its seqs in the previous one.
      fd_close(<u32>fd);
      removeFile(this.dataDirFd, path);
      return synced;
    }
    if (this.fd >= 0) fd_close(<u32>this.fd);
    this.fd = fd;
    this.size = 0;
    this.activeFirstSeq = firstSeq;
    return '';
  }
}
