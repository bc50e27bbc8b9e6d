// The journal: one append-only file of records `u32 length | u32 crc32(seq ‖ payload) | u64 seq |
// payload` (little-endian; length counts the payload only). Appends are written at once and made
// durable by sync(), which the event loop calls once per turn for every request of that turn
// (group commit) before any answer leaves. At start, replay() hands each intact record over and cuts
// the file at the first record that is partial or fails its checksum: a write torn by a crash is
// always the last one, and nothing after it was ever acknowledged.
import { readSome, writeAll } from '../../platform/wasi';
import {
  ERRNO_SUCCESS,
  FILE_RIGHTS,
  OFLAGS_CREAT,
  WHENCE_END,
  WHENCE_SET,
  fd_datasync,
  fd_filestat_set_size,
  fd_seek,
  path_open,
} from '../../platform/wasi-sockets';
import { crc32 } from './crc32';

export const RECORD_HEADER_BYTES: i32 = 16;
const CELL = memory.data(8);
const HEADER = memory.data(16);

export class ReplaySummary {
  records: i32 = 0;
  /** Bytes cut from the end (a torn or garbled tail); 0 for a clean file. */
  cutBytes: i64 = 0;
  lastSeq: u64 = 0;
  /** Empty when the file was opened and read; otherwise what failed, for the start-up message. */
  error: string = '';
}

export class JournalFile {
  fd: i32 = -1;
  /** Bytes of intact records; an append that fails is cut back to this. */
  size: i64 = 0;
  lastSeq: u64 = 0;
  /** Records appended since the last sync(): their answers wait for it. */
  dirty: bool = false;

  /** Opens (creating) `name` in the preopened directory `dirFd`, replaying every intact record. */
  open(dirFd: i32, name: string, onRecord: (ptr: usize, len: i32, seq: u64) => void): ReplaySummary {
    const summary = new ReplaySummary();
    const path = String.UTF8.encode(name);
    const errno = path_open(
      <u32>dirFd,
      0,
      changetype<usize>(path),
      <u32>path.byteLength,
      OFLAGS_CREAT,
      FILE_RIGHTS,
      FILE_RIGHTS,
      0,
      CELL,
    );
    if (errno != ERRNO_SUCCESS) {
      summary.error = 'cannot open ' + name + ' (WASI errno ' + errno.toString() + ')';
      return summary;
    }
    this.fd = load<i32>(CELL);
    if (fd_seek(<u32>this.fd, 0, WHENCE_END, CELL) != ERRNO_SUCCESS) {
      summary.error = 'cannot seek in ' + name;
      return summary;
    }
    const fileSize = load<i64>(CELL);
    const buf = heap.alloc(<usize>max<i64>(fileSize, 1));
    let got: i64 = 0;
    if (fd_seek(<u32>this.fd, 0, WHENCE_SET, CELL) == ERRNO_SUCCESS) {
      while (got < fileSize) {
        const n = readSome(<u32>this.fd, buf + <usize>got, <usize>(fileSize - got));
        if (n <= 0) break;
        got += n;
      }
    }
    let at: i64 = 0;
    while (at + RECORD_HEADER_BYTES <= got) {
      const len = load<u32>(buf + <usize>at);
      const sum = load<u32>(buf + <usize>at, 4);
      if (at + RECORD_HEADER_BYTES + <i64>len > got) break;
      if (crc32(0, buf + <usize>at + 8, 8 + <usize>len) != sum) break;
      const seq = load<u64>(buf + <usize>at, 8);
      onRecord(buf + <usize>at + RECORD_HEADER_BYTES, <i32>len, seq);
      summary.records++;
      this.lastSeq = seq;
      at += RECORD_HEADER_BYTES + <i64>len;
    }
    heap.free(buf);
    this.size = at;
    summary.lastSeq = this.lastSeq;
    summary.cutBytes = fileSize - at;
    if (summary.cutBytes > 0) {
      if (
        fd_filestat_set_size(<u32>this.fd, <u64>at) != ERRNO_SUCCESS ||
        fd_datasync(<u32>this.fd) != ERRNO_SUCCESS
      ) {
        summary.error = 'cannot cut the torn tail of ' + name;
        return summary;
      }
    }
    if (fd_seek(<u32>this.fd, at, WHENCE_SET, CELL) != ERRNO_SUCCESS)
      summary.error = 'cannot seek in ' + name;
    return summary;
  }

  /** Appends one record; false (and the file as before) when it cannot be written, e.g. a full disk. */
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
      fd_filestat_set_size(<u32>this.fd, <u64>this.size);
      fd_seek(<u32>this.fd, this.size, WHENCE_SET, CELL);
      return false;
    }
    this.size += RECORD_HEADER_BYTES + <i64>len;
    this.lastSeq = seq;
    this.dirty = true;
    return true;
  }

  /** Cuts the appends of a request that could not be completed (it is answered 503, nothing stored). */
  cutTo(size: i64, seq: u64): void {
    fd_filestat_set_size(<u32>this.fd, <u64>size);
    fd_seek(<u32>this.fd, size, WHENCE_SET, CELL);
    this.size = size;
    this.lastSeq = seq;
  }

  /** Makes every append so far durable; false when the disk refused. */
  sync(): bool {
    if (!this.dirty) return true;
    this.dirty = false;
    return fd_datasync(<u32>this.fd) == ERRNO_SUCCESS;
  }
}
