import { ChunkList } from './chunk-list';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';

// Variable-size entries (EPC records with their keys, client event IDs) bump-allocated in 256 KiB
// chunks and addressed by a u32 reference: chunk number in the high 14 bits, offset in the low 18.
// An entry never straddles chunks; one larger than a chunk gets a chunk of its own. The first
// chunk is only allocated on first use, and ref 0 is never issued.

const CHUNK_BITS: u32 = 18;
const CHUNK_SIZE: u32 = 1 << CHUNK_BITS;
const OFFSET_MASK: u32 = CHUNK_SIZE - 1;

export class ByteArena {
  private chunks: ChunkList = new ChunkList();
  /** Next free offset in the newest chunk, and the bytes left after it. */
  private next: u32 = 0;
  private free: u32 = 0;

  /** Reserves `size` bytes (rounded up to 4, zeroed) and returns the entry's reference. */
  alloc(size: u32): u32 {
    const rounded = (size + 3) & ~3;
    if (rounded > this.free) {
      const start: u32 = this.chunks.count == 0 ? 4 : 0;
      const oversized = rounded > CHUNK_SIZE - start;
      this.chunks.push(oversized ? <usize>rounded + start : CHUNK_SIZE);
      this.next = start;
      // An oversized entry fills its chunk: the next entry starts a fresh one.
      this.free = oversized ? rounded : CHUNK_SIZE - start;
    }
    const ref = ((this.chunks.count - 1) << CHUNK_BITS) | this.next;
    this.next += rounded;
    this.free -= rounded;
    return ref;
  }

  /** Address of an entry; `ref` must come from `alloc`. */
  @inline ptr(ref: u32): usize {
    return this.chunks.at(ref >> CHUNK_BITS) + <usize>(ref & OFFSET_MASK);
  }

  /** Frees the arena's memory (see ChunkList.release). */
  release(): void {
    this.chunks.release();
    this.next = 0;
    this.free = 0;
  }

  writeSnapshot(out: SnapshotOut): void {
    out.u32(this.next);
    out.u32(this.free);
    this.chunks.writeSnapshot(out);
  }

  /** Replaces the entries with a snapshot's; false when the free space is not in the last chunk. */
  readSnapshot(src: SnapshotIn): bool {
    const next = src.u32();
    const free = src.u32();
    if (!this.chunks.readSnapshot(src)) return false;
    this.next = next;
    this.free = free;
    const count = this.chunks.count;
    if (count == 0) return next == 0 && free == 0;
    return count <= 1 << (32 - CHUNK_BITS) && <u64>next + free <= <u64>this.chunks.sizeAt(count - 1);
  }

  get bytes(): usize {
    return this.chunks.bytes;
  }
}
