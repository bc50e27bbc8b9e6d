// DATA_DIR/journal-stored-seq: how far the sidecar has stored the journal in SQLite, written by
// host/journal/journal-position.ts as decimal digits and a newline (temp file, fsync, rename, so a
// reader sees the old or the new number, never half of one). Read afresh on every /ready.
import { readSome } from '../../platform/wasi';
import { ERRNO_SUCCESS, FILE_RIGHTS, fd_close, path_open } from '../../platform/wasi-sockets';

export const STORED_SEQ_FILE = 'journal-stored-seq';
const CELL = memory.data(8);
const TEXT = memory.data(32);

/** The stored seq, or -1 when the file is missing (no sidecar has stored anything yet) or unreadable. */
export function readStoredSeq(dataDirFd: i32): i64 {
  if (dataDirFd < 0) return -1;
  const path = String.UTF8.encode(STORED_SEQ_FILE);
  if (
    path_open(<u32>dataDirFd, 0, changetype<usize>(path), <u32>path.byteLength, 0, FILE_RIGHTS, 0, 0, CELL) !=
    ERRNO_SUCCESS
  )
    return -1;
  const fd = load<u32>(CELL);
  const n = readSome(fd, TEXT, 32);
  fd_close(fd);
  if (n <= 0) return -1;
  let value: i64 = 0;
  let digits = 0;
  for (let i: i32 = 0; i < <i32>n; i++) {
    const c = load<u8>(TEXT + <usize>i);
    if (c == 0x0a) break;
    // The sidecar writes a JavaScript safe integer (16 digits); 18 cannot overflow an i64.
    if (c < 0x30 || c > 0x39 || ++digits > 18) return -1;
    value = value * 10 + <i64>(c - 0x30);
  }
  return digits > 0 ? value : -1;
}
