// After the journal refused an append (a full disk), whether the data directory takes writes again:
// a page written to DATA_DIR/.ready-probe and cut back to nothing. Run only by /ready while the last
// append failed, so the pod turns ready again once space returns even with no capture arriving
// (the Service sends it none while it is not ready).
import { writeAll } from '../../platform/wasi';
import {
  ERRNO_SUCCESS,
  FILE_RIGHTS,
  OFLAGS_CREAT,
  fd_close,
  fd_datasync,
  fd_filestat_set_size,
  path_open,
} from '../../platform/wasi-sockets';

export const WRITE_PROBE_FILE = '.ready-probe';
// One page: a journal record of a typical event is 1–3 KB, so a page that fits means one fits.
const PROBE_BYTES: usize = 4096;
const PAGE = memory.data(4096);
const CELL = memory.data(8);

export function dataDirectoryWritable(dataDirFd: i32): bool {
  if (dataDirFd < 0) return false;
  const path = String.UTF8.encode(WRITE_PROBE_FILE);
  const opened = path_open(
    <u32>dataDirFd,
    0,
    changetype<usize>(path),
    <u32>path.byteLength,
    OFLAGS_CREAT,
    FILE_RIGHTS,
    0,
    0,
    CELL,
  );
  if (opened != ERRNO_SUCCESS) return false;
  const fd = load<u32>(CELL);
  const written = writeAll(fd, PAGE, PROBE_BYTES) && fd_datasync(fd) == ERRNO_SUCCESS;
  // Cut back either way: the probe must not keep the space it just found.
  fd_filestat_set_size(fd, 0);
  fd_close(fd);
  return written;
}
