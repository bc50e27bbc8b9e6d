// Reads a snapshot's body in order from a source (a file on the server, a buffer in tracker.wasm),
// checking every declared size against the bytes left before anything is allocated for it and
// continuing the CRC-32 over all it reads. Errors are values: a short or garbled input turns `ok`
// false and every later read fails, so readers check once at the end of a section.
import { crc32 } from '../hash/crc32';

export abstract class SnapshotSource {
  /** Reads exactly `length` bytes into `dst`; false when the input ends or fails first. */
  abstract read(dst: usize, length: usize): bool;
}

/** A snapshot held in memory (tracker.wasm: the host copies the file into the input buffer). */
export class MemorySource extends SnapshotSource {
  constructor(
    private at: usize,
    private end: usize,
  ) {
    super();
  }

  read(dst: usize, length: usize): bool {
    if (length > this.end - this.at) return false;
    memory.copy(dst, this.at, length);
    this.at += length;
    return true;
  }
}

const CELL = memory.data(8);

export class SnapshotIn {
  ok: bool = true;
  crc: u32;
  /** Body bytes not read yet. */
  remaining: u64;

  constructor(
    private source: SnapshotSource,
    remaining: u64,
    crc: u32,
    /** False when the host checks the CRC of the bytes it delivers (snapshot-reader.ts says why). */
    private checksum: bool = true,
  ) {
    this.remaining = remaining;
    this.crc = crc;
  }

  /** Reads `length` bytes into `dst`; false (and `ok` false) when fewer are left or the source fails. */
  bytes(dst: usize, length: usize): bool {
    if (!this.ok || <u64>length > this.remaining || !this.source.read(dst, length)) {
      this.ok = false;
      return false;
    }
    if (this.checksum) this.crc = crc32(this.crc, dst, length);
    this.remaining -= length;
    return true;
  }

  /** The next u32; 0 once `ok` is false. */
  u32(): u32 {
    return this.bytes(CELL, 4) ? load<u32>(CELL) : 0;
  }

  u64(): u64 {
    return this.bytes(CELL, 8) ? load<u64>(CELL) : 0;
  }
}
