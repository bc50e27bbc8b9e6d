// A connection's received bytes: appended at the end by sock_recv, consumed from the front by the
// request parser. Pipelined requests and slowly arriving heads both leave a partial tail, which
// stays in place until more arrives.
//
// Backing: a GC-managed ArrayBuffer (freed with its connection; AssemblyScript has no finalizers for
// heap.alloc blocks) grown through __renew; consumed bytes are dropped by moving the tail to the
// front only when the free room at the end runs out, so a steady stream costs one copy per buffer.

export class ByteQueue {
  private buffer: ArrayBuffer;
  private start: i32 = 0;
  private end: i32 = 0;

  constructor(initialCapacity: i32 = 4096) {
    this.buffer = new ArrayBuffer(max(initialCapacity, 64));
  }

  /** Address of the first unread byte; valid until the next reserve(). */
  @inline get ptr(): usize {
    return changetype<usize>(this.buffer) + <usize>this.start;
  }

  @inline get length(): i32 {
    return this.end - this.start;
  }

  /** Room for `extra` more bytes at the end; returns the address to write them at. */
  reserve(extra: i32): usize {
    const capacity = this.buffer.byteLength;
    if (this.end + extra > capacity) {
      const used = this.end - this.start;
      if (used + extra <= capacity && this.start >= capacity >> 1) {
        memory.copy(changetype<usize>(this.buffer), this.ptr, <usize>used);
      } else {
        let grown = capacity << 1;
        while (grown < used + extra) grown <<= 1;
        const fresh = new ArrayBuffer(grown);
        memory.copy(changetype<usize>(fresh), this.ptr, <usize>used);
        this.buffer = fresh;
      }
      this.start = 0;
      this.end = used;
    }
    return changetype<usize>(this.buffer) + <usize>this.end;
  }

  /** Marks `n` bytes written at the address reserve() gave as received. */
  commit(n: i32): void {
    this.end += n;
  }

  consume(n: i32): void {
    this.start += min(n, this.end - this.start);
    if (this.start == this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  /** Forgets everything and gives a large buffer back (after a big body: idle connections stay small). */
  clear(keepCapacity: i32): void {
    this.start = 0;
    this.end = 0;
    if (this.buffer.byteLength > keepCapacity) this.buffer = new ArrayBuffer(keepCapacity);
  }
}
