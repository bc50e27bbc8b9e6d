// A growable UTF-8 byte buffer for building output (results, canonical pre-hash strings) without
// creating intermediate AssemblyScript strings.
//
// Backing choice: a GC-managed ArrayBuffer grown by doubling through the runtime's `__renew`. It is
// freed together with the writer (an unmanaged heap.alloc block would leak when a writer is
// dropped, AssemblyScript has no finalizers) and `__renew` still extends the block in place when the
// allocator can, like heap.realloc. `ptr` is valid until the next append that grows the buffer.

import { encodeUtf8 } from './utf8-encode';

export class Utf8Writer {
  private buffer: ArrayBuffer;
  private used: i32 = 0;

  constructor(initialCapacity: i32 = 4096) {
    this.buffer = new ArrayBuffer(max(initialCapacity, 16));
  }

  @inline get ptr(): usize {
    return changetype<usize>(this.buffer);
  }

  @inline get length(): i32 {
    return this.used;
  }

  reset(): void {
    this.used = 0;
  }

  /** Makes room for `extra` more bytes; returns the address to write them at. */
  private reserve(extra: usize): usize {
    const used = <usize>this.used;
    const capacity = <usize>this.buffer.byteLength;
    if (used + extra > capacity) {
      let grown = capacity << 1;
      if (grown < used + extra) grown = used + extra;
      this.buffer = changetype<ArrayBuffer>(__renew(changetype<usize>(this.buffer), grown));
    }
    return changetype<usize>(this.buffer) + used;
  }

  byte(b: u8): void {
    store<u8>(this.reserve(1), b);
    this.used += 1;
  }

  /** Appends a string the caller knows to be ASCII; other code units are truncated to their low byte. */
  ascii(s: string): void {
    const n = s.length;
    const out = this.reserve(<usize>n);
    const src = changetype<usize>(s);
    let i = 0;
    for (; i + 16 <= n; i += 16) {
      const lo = v128.load(src + ((<usize>i) << 1));
      const hi = v128.load(src + ((<usize>i) << 1), 16);
      v128.store(out + <usize>i, i8x16.narrow_i16x8_u(v128.and(lo, LOW_BYTES), v128.and(hi, LOW_BYTES)));
    }
    for (; i < n; i++) store<u8>(out + <usize>i, <u8>load<u16>(src + ((<usize>i) << 1)));
    this.used += n;
  }

  /** Appends any string as UTF-8; a lone surrogate becomes U+FFFD. */
  utf8(s: string): void {
    const n = s.length;
    const start = this.reserve(<usize>n * 3);
    const end = encodeUtf8(changetype<usize>(s), n, start, false);
    this.used += <i32>(end - start);
  }

  /**
   * Appends the bytes String.UTF8.encode(s) would make (WTF-8: a lone surrogate is kept, not
   * replaced), without allocating: the pre-hash bytes, which must stay exactly what they were.
   */
  wtf8(s: string): void {
    const n = s.length;
    const out = this.reserve(<usize>n * 3);
    const src = changetype<usize>(s);
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const v = v128.load(src + ((<usize>i) << 1));
      if (v128.any_true(i16x8.gt_u(v, i16x8.splat(0x7f)))) break;
      v128.store64_lane(out + <usize>i, i8x16.narrow_i16x8_u(v, v), 0);
    }
    for (; i < n; i++) {
      const c = load<u16>(src + ((<usize>i) << 1));
      if (c > 0x7f) break;
      store<u8>(out + <usize>i, <u8>c);
    }
    let written = <usize>i;
    if (i < n) {
      const rest = src + ((<usize>i) << 1);
      written += String.UTF8.encodeUnsafe(rest, n - i, out + written, false, String.UTF8.ErrorMode.WTF8);
    }
    this.used += <i32>written;
  }

  /** Appends `s` as a JSON string literal: quotes, `\"`, `\\`, short escapes and `\u00XX` for controls. */
  jsonString(s: string): void {
    const n = s.length;
    const start = this.reserve(<usize>n * 6 + 2);
    store<u8>(start, 0x22);
    const end = encodeUtf8(changetype<usize>(s), n, start + 1, true);
    store<u8>(end, 0x22);
    this.used += <i32>(end + 1 - start);
  }

  int(v: i64): void {
    if (v < 0) {
      this.byte(0x2d);
      this.uint(<u64>-v);
    } else {
      this.uint(<u64>v);
    }
  }

  uint(v: u64): void {
    let digits = 1;
    for (let t = v; t >= 10; t /= 10) digits++;
    const out = this.reserve(<usize>digits);
    for (let i = digits - 1; i >= 0; i--) {
      store<u8>(out + <usize>i, <u8>(0x30 + (v % 10)));
      v /= 10;
    }
    this.used += digits;
  }

  /** Copies `len` bytes from linear memory, e.g. a slice of the input document. */
  raw(ptr: usize, len: i32): void {
    if (len <= 0) return;
    memory.copy(this.reserve(<usize>len), ptr, <usize>len);
    this.used += len;
  }

  toUint8Array(): Uint8Array {
    const out = new Uint8Array(this.used);
    memory.copy(out.dataStart, changetype<usize>(this.buffer), <usize>this.used);
    return out;
  }
}

const LOW_BYTES = i16x8.splat(0xff);
