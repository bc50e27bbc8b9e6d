// What a snapshot writer produces: the snapshot as a list of byte ranges, most of them the index's
// own chunks and tables in place (nothing is copied in the core), the rest small fields (counts,
// sizes, interned strings) gathered in one buffer. The host copies the ranges out in order, at
// once: they stay valid only until the next call that changes the index.

export class SnapshotOut {
  /** Range addresses; for a range of fields, its offset in `fields` until finish(). */
  readonly ptrs: Array<usize> = new Array<usize>();
  readonly lengths: Array<usize> = new Array<usize>();
  private inFields: Array<bool> = new Array<bool>();
  /** unmanaged! the small fields, little-endian, in the order written. */
  private fields: usize = 0;
  private fieldsLength: usize = 0;
  private fieldsCapacity: usize = 0;
  /** Bytes of all ranges. */
  total: u64 = 0;

  u32(value: u32): void {
    store<u32>(this.reserve(4), value);
  }

  u64(value: u64): void {
    store<u64>(this.reserve(8), value);
  }

  /** `length` bytes at `ptr`, referenced, not copied. */
  range(ptr: usize, length: usize): void {
    if (length == 0) return;
    this.ptrs.push(ptr);
    this.lengths.push(length);
    this.inFields.push(false);
    this.total += length;
  }

  /** Turns field offsets into addresses; nothing may be written afterwards. */
  finish(): void {
    for (let i = 0, n = this.ptrs.length; i < n; i++) {
      if (unchecked(this.inFields[i])) unchecked((this.ptrs[i] = this.fields + unchecked(this.ptrs[i])));
    }
    this.inFields.length = 0;
  }

  /** Frees the fields buffer; the ranges must not be read afterwards. */
  release(): void {
    if (this.fields != 0) heap.free(this.fields);
    this.fields = 0;
    this.fieldsLength = 0;
    this.fieldsCapacity = 0;
  }

  /** Space for `size` more bytes of fields, extending the last range when it is the fields' tail. */
  private reserve(size: usize): usize {
    const needed = this.fieldsLength + size;
    if (needed > this.fieldsCapacity) {
      let capacity = max<usize>(this.fieldsCapacity << 1, 4096);
      while (capacity < needed) capacity <<= 1;
      this.fields = this.fields == 0 ? heap.alloc(capacity) : heap.realloc(this.fields, capacity);
      this.fieldsCapacity = capacity;
    }
    const last = this.ptrs.length - 1;
    if (
      last >= 0 &&
      unchecked(this.inFields[last]) &&
      unchecked(this.ptrs[last]) + unchecked(this.lengths[last]) == this.fieldsLength
    ) {
      unchecked((this.lengths[last] += size));
    } else {
      this.ptrs.push(this.fieldsLength);
      this.lengths.push(size);
      this.inFields.push(true);
    }
    const at = this.fields + this.fieldsLength;
    this.fieldsLength = needed;
    this.total += size;
    return at;
  }
}
