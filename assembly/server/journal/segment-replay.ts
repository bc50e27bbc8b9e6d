// Reads one journal segment at start and hands its intact records over, in order. A record is
// `u32 length | u32 crc32(seq ‖ payload) | u64 seq | payload`, little-endian. Only the newest
// segment can end in a torn write (every older one was fdatasynced before the next was created), so
// a partial or failing record there is cut, and anywhere else it stops the start.
import {
  ERRNO_SUCCESS,
  FILE_RIGHTS,
  WHENCE_END,
  WHENCE_SET,
  fd_close,
  fd_datasync,
  fd_filestat_set_size,
  fd_seek,
  path_open,
} from '../../platform/wasi-sockets';
import { crc32 } from './crc32';
import { SegmentWindow } from './segment-window';

export const RECORD_HEADER_BYTES: i32 = 16;
const CELL = memory.data(8);

export class SegmentReplay {
  /** Open for appending when the segment was read as the newest; -1 otherwise. */
  fd: i32 = -1;
  records: i32 = 0;
  /** The seq the next record must have: the name's for an empty segment. */
  nextSeq: u64 = 0;
  /** Bytes of intact records (where appending continues). */
  size: i64 = 0;
  cutBytes: i64 = 0;
  /** Empty when the segment was read; otherwise what is wrong with it, naming it. */
  error: string = '';
}

/** Opens `path` (under the preopened `dirFd`) read-write with `oflags` (CREAT, EXCL); -errno on failure. */
export function openSegmentFile(dirFd: i32, path: string, oflags: u16): i32 {
  const bytes = String.UTF8.encode(path);
  const errno = path_open(
    <u32>dirFd,
    0,
    changetype<usize>(bytes),
    <u32>bytes.byteLength,
    oflags,
    FILE_RIGHTS,
    FILE_RIGHTS,
    0,
    CELL,
  );
  return errno == ERRNO_SUCCESS ? load<i32>(CELL) : -(<i32>errno);
}

/**
 * Replays the segment `path` whose first record must have seq `firstSeq`: records with seq >
 * `afterSeq` go to `onRecord`, the others are checked only. `newest` keeps the file open, cut after
 * its last intact record and positioned there for appends.
 */
export function replaySegment(
  dirFd: i32,
  path: string,
  firstSeq: u64,
  afterSeq: u64,
  newest: bool,
  onRecord: (ptr: usize, len: i32, seq: u64) => void,
): SegmentReplay {
  const replay = new SegmentReplay();
  replay.nextSeq = firstSeq;
  const fd = openSegmentFile(dirFd, path, 0);
  if (fd < 0) {
    replay.error = 'cannot open ' + path + ' (WASI errno ' + (-fd).toString() + ')';
    return replay;
  }
  if (fd_seek(<u32>fd, 0, WHENCE_END, CELL) != ERRNO_SUCCESS) {
    replay.error = 'cannot seek in ' + path;
    fd_close(<u32>fd);
    return replay;
  }
  const fileSize = load<i64>(CELL);
  const window = new SegmentWindow(<u32>fd, fileSize);
  let at: i64 = 0;
  if (fd_seek(<u32>fd, 0, WHENCE_SET, CELL) != ERRNO_SUCCESS) replay.error = 'cannot seek in ' + path;
  while (replay.error.length == 0) {
    const head = window.bytesAt(at, RECORD_HEADER_BYTES);
    if (head == 0) break;
    const len = load<u32>(head);
    const crc = load<u32>(head, 4);
    const seq = load<u64>(head, 8);
    // A garbled length must not size a buffer: past the end of the file it is a torn record.
    if (at + RECORD_HEADER_BYTES + <i64>len > fileSize) break;
    const record = window.bytesAt(at, RECORD_HEADER_BYTES + <i64>len);
    if (record == 0) break;
    if (crc32(0, record + 8, 8 + <usize>len) != crc) break;
    if (seq != replay.nextSeq) {
      // The checksum holds, so this is what the writer wrote: a bug or a foreign file, not a torn write.
      replay.error =
        path + ' holds seq ' + seq.toString() + ' where seq ' + replay.nextSeq.toString() + ' belongs';
      break;
    }
    if (seq > afterSeq) onRecord(record + RECORD_HEADER_BYTES, <i32>len, seq);
    replay.records++;
    replay.nextSeq = seq + 1;
    at += RECORD_HEADER_BYTES + <i64>len;
  }
  window.release();
  replay.size = at;
  replay.cutBytes = fileSize - at;
  if (replay.error.length == 0 && replay.cutBytes > 0 && !newest) {
    replay.error =
      path +
      ' fails its checksum or is incomplete at byte ' +
      at.toString() +
      ' but is not the newest segment (it was synced before the next one was created): the journal is damaged';
  }
  if (replay.error.length > 0 || !newest) {
    fd_close(<u32>fd);
    return replay;
  }
  if (replay.cutBytes > 0) {
    if (fd_filestat_set_size(<u32>fd, <u64>at) != ERRNO_SUCCESS || fd_datasync(<u32>fd) != ERRNO_SUCCESS) {
      replay.error = 'cannot cut the torn tail of ' + path;
      fd_close(<u32>fd);
      return replay;
    }
  }
  if (fd_seek(<u32>fd, at, WHENCE_SET, CELL) != ERRNO_SUCCESS) {
    replay.error = 'cannot seek in ' + path;
    fd_close(<u32>fd);
    return replay;
  }
  replay.fd = fd;
  return replay;
}
