// A sliding window over a segment file for replay: records are read in 1 MiB reads into one reused
// buffer instead of reading the whole segment (up to JOURNAL_SEGMENT_BYTES, 64 MiB) into a buffer
// of its size. perf over a 55 MB segment (/tmp/replay, LLVM-free WasmEdge) showed the kernel's
// page-fault path as the largest single cost of replay, and that buffer's fresh linear memory stayed
// in the heap for the process's life (the heap never shrinks).
import { readSome } from '../../platform/wasi';

const READ_BYTES: i64 = 1 << 20;

export class SegmentWindow {
  /** unmanaged! `capacity` bytes holding the file's bytes [base, base + filled). */
  private buf: usize;
  private capacity: i64;
  private base: i64 = 0;
  private filled: i64 = 0;
  /** Bytes of the file that can still be read (its size when opened, less what was read). */
  private unread: i64;

  constructor(
    private fd: u32,
    fileSize: i64,
  ) {
    this.unread = fileSize;
    this.capacity = max<i64>(min<i64>(fileSize, READ_BYTES), 1);
    this.buf = heap.alloc(<usize>this.capacity);
  }

  /**
   * Makes the file's bytes [at, at + length) readable and returns their address; 0 when the file
   * ends (or a read fails) before them. The address holds until the next call.
   */
  bytesAt(at: i64, length: i64): usize {
    while (this.base + this.filled < at + length) {
      if (this.unread <= 0) return 0;
      if (at + length - this.base > this.capacity) this.makeRoom(at, length);
      const want = min<i64>(this.capacity - this.filled, this.unread);
      const n = readSome(this.fd, this.buf + <usize>this.filled, <usize>want);
      if (n <= 0) {
        this.unread = 0;
        return 0;
      }
      this.filled += n;
      this.unread -= n;
    }
    return this.buf + <usize>(at - this.base);
  }

  /** Drops the bytes before `at` and grows the buffer when one record is larger than it. */
  private makeRoom(at: i64, length: i64): void {
    const keep = this.base + this.filled - at;
    if (keep > 0) memory.copy(this.buf, this.buf + <usize>(at - this.base), <usize>keep);
    this.base = at;
    this.filled = max<i64>(keep, 0);
    if (length > this.capacity) {
      this.buf = heap.realloc(this.buf, <usize>length);
      this.capacity = length;
    }
  }

  release(): void {
    heap.free(this.buf);
    this.buf = 0;
  }
}
