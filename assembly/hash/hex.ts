// Lowercase hexadecimal for digests (the 64 hex digits of a CBV event hash ID).

// The sixteen digits, indexed by nibble, for the scalar rest. unmanaged!
const DIGITS: usize = memory.data<u8>(
  [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66],
  16,
);

/** ASCII digits for sixteen nibbles (0..15): '0' + n, and 39 more for n > 9 to land on 'a'. */
function digits16(nibbles: v128): v128 {
  const letters = v128.and(i8x16.gt_u(nibbles, i8x16.splat(9)), i8x16.splat(39));
  return i8x16.add(i8x16.add(nibbles, i8x16.splat(48)), letters);
}

/** Writes the `len` bytes at `digest` as 2 * `len` lowercase ASCII hex digits at `out`. */
export function writeHex(digest: usize, len: i32, out: usize): void {
  let i = 0;
  // Sixteen bytes at a time, interleaving the high and low digit of each byte. Arithmetic rather
  // than a swizzle table lookup: WasmEdge's --generic-binary AOT output crashed (SIGSEGV after about
  // 10^5 calls) with the swizzle form.
  for (; i + 16 <= len; i += 16) {
    const x = v128.load(digest + <usize>i);
    const high = digits16(i8x16.shr_u(x, 4));
    const low = digits16(v128.and(x, i8x16.splat(15)));
    const at = out + ((<usize>i) << 1);
    v128.store(at, i8x16.shuffle(high, low, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), 0);
    v128.store(
      at,
      i8x16.shuffle(high, low, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31),
      16,
    );
  }
  for (; i < len; i++) {
    const byte = <usize>load<u8>(digest + <usize>i);
    store<u8>(out + ((<usize>i) << 1), load<u8>(DIGITS + (byte >> 4)));
    store<u8>(out + ((<usize>i) << 1) + 1, load<u8>(DIGITS + (byte & 15)));
  }
}
