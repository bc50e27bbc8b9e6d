// A growable list of pointers to unmanaged memory chunks. The arenas address their contents
// through it, so a chunk never moves once allocated: pointers into a chunk stay valid while more
// chunks are added, and growing never copies the data itself (only this small list).

export class ChunkList {
  /** unmanaged! array of `capacity` chunk pointers. */
  private list: usize = 0;
  private capacity: u32 = 0;
  /** Number of chunks held. */
  count: u32 = 0;
  /** Bytes of all chunks plus this list, for memory accounting. */
  bytes: usize = 0;

  /** Allocates a zeroed chunk of `size` bytes, appends it and returns its address. */
  push(size: usize): usize {
    if (this.count == this.capacity) {
      const grown = this.capacity == 0 ? 16 : this.capacity << 1;
      // heap.realloc rejects a null pointer, so the first list is a plain alloc.
      const list = heap.alloc((<usize>grown) << alignof<usize>());
      if (this.list != 0) {
        memory.copy(list, this.list, (<usize>this.count) << alignof<usize>());
        heap.free(this.list);
      }
      this.list = list;
      this.bytes += (<usize>(grown - this.capacity)) << alignof<usize>();
      this.capacity = grown;
    }
    // TLSF does not zero memory; every arena relies on fresh records reading as zero.
    const chunk = heap.alloc(size);
    memory.fill(chunk, 0, size);
    store<usize>(this.list + ((<usize>this.count) << alignof<usize>()), chunk);
    this.count++;
    this.bytes += size;
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
    return load<usize>(this.list + ((<usize>i) << alignof<usize>()));
  }
}
