// A growable list of unmanaged memory chunks and their sizes. The arenas address their contents
// through it, so a chunk never moves once allocated: pointers into a chunk stay valid while more
// chunks are added, and growing never copies the data itself (only this small list).
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';

// Each entry is two words: the chunk's address, then its size (a snapshot writes chunks as byte
// ranges, and a byte arena's oversized entries get chunks of their own size).
const ENTRY_SHIFT: usize = alignof<usize>() + 1;
/** Largest chunk a snapshot may declare: arena chunks are 256 KiB, or one oversized entry (a
 * document-limited event ID or EPC); TLSF traps on a block of 1 GiB. */
const MAX_CHUNK_BYTES: usize = 256 << 20;

export class ChunkList {
  /** unmanaged! array of `capacity` entries (address, size). */
  private list: usize = 0;
  private capacity: u32 = 0;
  /** Number of chunks held. */
  count: u32 = 0;
  /** Bytes of all chunks plus this list, for memory accounting. */
  bytes: usize = 0;

  /** Allocates a zeroed chunk of `size` bytes, appends it and returns its address. */
  push(size: usize): usize {
    // TLSF does not zero memory; every arena relies on fresh records reading as zero.
    const chunk = this.append(size);
    memory.fill(chunk, 0, size);
    return chunk;
  }

  /** Frees every chunk and the list; the owner must not use the arena afterwards. */
  release(): void {
    for (let i: u32 = 0; i < this.count; i++) heap.free(this.at(i));
    if (this.list != 0) heap.free(this.list);
    this.list = 0;
    this.capacity = 0;
    this.count = 0;
    this.bytes = 0;
  }

  /** Address of chunk `i`; `i` must be below `count` (the arenas only pass indices they issued). */
  @inline at(i: u32): usize {
    return load<usize>(this.list + ((<usize>i) << ENTRY_SHIFT));
  }

  @inline sizeAt(i: u32): usize {
    return load<usize>(this.list + ((<usize>i) << ENTRY_SHIFT), sizeof<usize>());
  }

  /** Chunk count, each chunk's size, then the chunks as they are. */
  writeSnapshot(out: SnapshotOut): void {
    out.u32(this.count);
    for (let i: u32 = 0; i < this.count; i++) out.u32(<u32>this.sizeAt(i));
    for (let i: u32 = 0; i < this.count; i++) out.range(this.at(i), this.sizeAt(i));
  }

  /**
   * Replaces the chunks with a snapshot's, read straight into fresh chunks. False on a short or
   * inconsistent input; the list then holds what was read so far, which release() frees.
   */
  readSnapshot(src: SnapshotIn): bool {
    this.release();
    const count = src.u32();
    if (!src.ok || <u64>count * 4 > src.remaining) return false;
    const sizes = new StaticArray<u32>(count);
    let total: u64 = 0;
    for (let i: u32 = 0; i < count; i++) {
      const size = src.u32();
      unchecked((sizes[i] = size));
      total += size;
    }
    if (!src.ok || total > src.remaining) return false;
    for (let i: u32 = 0; i < count; i++) {
      const size = <usize>unchecked(sizes[i]);
      if (size == 0 || size > MAX_CHUNK_BYTES || !src.bytes(this.append(size), size)) return false;
    }
    return true;
  }

  /** Appends a chunk of `size` bytes, contents undefined. */
  private append(size: usize): usize {
    if (this.count == this.capacity) {
      const grown = this.capacity == 0 ? 16 : this.capacity << 1;
      // heap.realloc rejects a null pointer, so the first list is a plain alloc.
      const list = heap.alloc((<usize>grown) << ENTRY_SHIFT);
      if (this.list != 0) {
        memory.copy(list, this.list, (<usize>this.count) << ENTRY_SHIFT);
        heap.free(this.list);
      }
      this.list = list;
      this.bytes += (<usize>(grown - this.capacity)) << ENTRY_SHIFT;
      this.capacity = grown;
    }
    const chunk = heap.alloc(size);
    const entry = this.list + ((<usize>this.count) << ENTRY_SHIFT);
    store<usize>(entry, chunk);
    store<usize>(entry, size, sizeof<usize>());
    this.count++;
    this.bytes += size;
    return chunk;
  }
}
