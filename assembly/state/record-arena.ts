import { ChunkList } from './chunk-list';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';

// Fixed-size records in unmanaged memory, addressed by a u32 index. Index 0 is a permanent,
// all-zero sentinel so that 0 can mean "none" in every field that refers to a record.
// Chunks hold 2^shift records and never move, so a record's address is stable for its lifetime.

export class RecordArena {
  private chunks: ChunkList = new ChunkList();
  private shift: u32;
  private mask: u32;
  private recordSize: u32;
  /** Records issued so far, including the sentinel. */
  count: u32 = 1;

  constructor(recordSize: u32, shift: u32) {
    this.recordSize = recordSize;
    this.shift = shift;
    this.mask = (1 << shift) - 1;
    this.chunks.push((<usize>recordSize) << shift);
  }

  /** Issues a new zeroed record and returns its index. */
  alloc(): u32 {
    const index = this.count;
    if (index >> this.shift >= this.chunks.count) {
      this.chunks.push((<usize>this.recordSize) << this.shift);
    }
    this.count = index + 1;
    return index;
  }

  /** Address of record `index`; callers only pass indices this arena issued (or 0). */
  @inline ptr(index: u32): usize {
    return this.chunks.at(index >> this.shift) + <usize>(index & this.mask) * this.recordSize;
  }

  /** Frees the arena's memory (see ChunkList.release). */
  release(): void {
    this.chunks.release();
    this.count = 1;
  }

  writeSnapshot(out: SnapshotOut): void {
    out.u32(this.count);
    this.chunks.writeSnapshot(out);
  }

  /** Replaces the records with a snapshot's; false when it is not this arena's shape. */
  readSnapshot(src: SnapshotIn): bool {
    const count = src.u32();
    if (!this.chunks.readSnapshot(src)) return false;
    const chunkSize = (<usize>this.recordSize) << this.shift;
    for (let i: u32 = 0; i < this.chunks.count; i++) if (this.chunks.sizeAt(i) != chunkSize) return false;
    // Every issued record (the sentinel included) lies in a chunk: alloc() adds one when needed.
    this.count = count;
    return count >= 1 && <u64>count <= (<u64>this.chunks.count) << this.shift;
  }

  get bytes(): usize {
    return this.chunks.bytes;
  }
}
