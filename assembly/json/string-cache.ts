// Keys and many values repeat constantly ("type", "eventTime", "ObjectEvent", a read point ...).
// A direct-mapped cache of short ASCII strings hands back the same string object for the same
// bytes: one allocation saved, and equal keys then compare by pointer. Entries outlive a parse,
// which is safe because strings are immutable; each cache is bounded (SLOTS entries of at most
// MAX_BYTES bytes, 16 KiB of bytes plus the strings).

import { asciiString } from './ascii-string';

const SLOTS: usize = 256;
const MAX_BYTES = 64;

const LANES_0 = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
const LANES_16 = i8x16.add(LANES_0, i8x16.splat(16));
const LANES_32 = i8x16.add(LANES_0, i8x16.splat(32));
const LANES_48 = i8x16.add(LANES_0, i8x16.splat(48));

// 64-bit odd multipliers (golden ratio, murmur3 and splitmix64 constants), built from halves
// because such literals do not survive JavaScript tooling.
const MIX_FIRST: u64 = ((<u64>0x9e3779b9) << 32) | 0x7f4a7c15;
const MIX_LAST: u64 = ((<u64>0xc2b2ae3d) << 32) | 0x27d4eb4f;
const MIX_FINAL: u64 = ((<u64>0x94d049bb) << 32) | 0x133111eb;

export class StringCache {
  // unmanaged! MAX_BYTES bytes per slot: the cached string's bytes, zero-padded. Never freed:
  // caches are module-level singletons.
  private bytes: usize = heap.alloc(SLOTS * <usize>MAX_BYTES);
  private strings: StaticArray<string | null> = new StaticArray<string | null>(<i32>SLOTS);

  constructor() {
    memory.fill(this.bytes, 0, SLOTS * <usize>MAX_BYTES);
  }

  /** The string of the `n` ASCII bytes at `p` (no escapes); `end` bounds how far we may read. */
  get(p: usize, n: i32, end: usize): string {
    if (n > MAX_BYTES || p + <usize>MAX_BYTES > end) return asciiString(p, n);
    const length = i8x16.splat(<i8>n);
    const b0 = v128.and(v128.load(p), i8x16.gt_u(length, LANES_0));
    let b1 = i64x2.splat(0);
    let b2 = b1;
    let b3 = b1;
    if (n > 16) {
      b1 = v128.and(v128.load(p, 16), i8x16.gt_u(length, LANES_16));
      if (n > 32) {
        b2 = v128.and(v128.load(p, 32), i8x16.gt_u(length, LANES_32));
        b3 = v128.and(v128.load(p, 48), i8x16.gt_u(length, LANES_48));
      }
    }
    // Hash the first and last eight bytes: cheap, and it separates serial numbers that share a prefix.
    const first = <u64>i64x2.extract_lane(b0, 0);
    const last = n >= 8 ? load<u64>(p + <usize>n - 8) : <u64>i64x2.extract_lane(b0, 1);
    let h = (first * MIX_FIRST) ^ (last * MIX_LAST) ^ (<u64>n);
    h ^= h >>> 32;
    h *= MIX_FINAL;
    const slot = (<usize>(h >>> 56)) & (SLOTS - 1);
    const at = this.bytes + slot * <usize>MAX_BYTES;
    const cached = unchecked(this.strings[<i32>slot]);
    // Compare the address: `!==` on strings compiles to a String.__eq call.
    if (changetype<usize>(cached) != 0 && changetype<string>(cached).length == n) {
      const same = v128.and(
        v128.and(i8x16.eq(v128.load(at), b0), i8x16.eq(v128.load(at, 16), b1)),
        v128.and(i8x16.eq(v128.load(at, 32), b2), i8x16.eq(v128.load(at, 48), b3)),
      );
      if (i8x16.all_true(same)) return changetype<string>(cached);
    }
    const s = asciiString(p, n);
    v128.store(at, b0);
    v128.store(at, b1, 16);
    v128.store(at, b2, 32);
    v128.store(at, b3, 48);
    unchecked((this.strings[<i32>slot] = s));
    return s;
  }
}

export const keyCache = new StringCache();
export const valueCache = new StringCache();
