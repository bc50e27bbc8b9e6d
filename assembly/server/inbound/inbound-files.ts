// The segment files of DATA_DIR/inbound/, opened read-only. Segments are named by their first seq
// and seqs are dense, so the one after the segment being read is `<last seq + 1>.log`: probing that
// name is one path_open, and a directory listing is needed only at start.
import { ERRNO_SUCCESS, fd_close, path_open } from '../../platform/wasi-sockets';
import { segmentName } from '../files/data-file-names';
import { INBOUND_DIR } from '../journal/segment-deletion';
import { tail } from './inbound-state';

// FD_READ | FD_SEEK | FD_TELL: read-only, so WasmEdge opens the sidecar's file O_RDONLY.
const READ_RIGHTS: u64 = (1 << 1) | (1 << 2) | (1 << 5);
const CELL = memory.data(8);

/** Opens `inbound/<firstSeq>.log`; -1 when it does not exist (yet). */
export function openSegment(firstSeq: u64): i32 {
  // The name probed at every check while nothing new arrives is encoded once per seq: an idle
  // server allocates nothing between collections.
  if (tail.probePathSeq != firstSeq || tail.probePath === null) {
    tail.probePath = String.UTF8.encode(INBOUND_DIR + '/' + segmentName(firstSeq));
    tail.probePathSeq = firstSeq;
  }
  const path = changetype<ArrayBuffer>(tail.probePath);
  const errno = path_open(
    <u32>tail.dataDirFd,
    0,
    changetype<usize>(path),
    <u32>path.byteLength,
    0,
    READ_RIGHTS,
    0,
    0,
    CELL,
  );
  return errno == ERRNO_SUCCESS ? load<i32>(CELL) : -1;
}

/** Moves on to the segment that starts after the last record read, when the sidecar created it. */
export function openNextSegment(): bool {
  // An empty segment (just created, or left by a crash right after) is not followed by another yet.
  if (tail.fd >= 0 && tail.lastSeq + 1 <= tail.segmentFirstSeq) return false;
  const fd = openSegment(tail.lastSeq + 1);
  if (fd < 0) return false;
  if (tail.fd >= 0) fd_close(<u32>tail.fd);
  tail.fd = fd;
  tail.segmentFirstSeq = tail.lastSeq + 1;
  tail.offset = 0;
  tail.filled = 0;
  return true;
}
