// Lowercase hexadecimal for digests (the 64 hex digits of a CBV event hash ID).

function hexDigit(nibble: i32): i32 {
  // 48 is '0'; nibbles above 9 make (9 - nibble) negative, and its sign mask adds the 39 that
  // moves 58 to 'a' (97) without a branch.
  return nibble + 48 + (((9 - nibble) >> 31) & 39);
}

/** Writes the `len` bytes at `digest` as 2 * `len` lowercase ASCII hex digits at `out`. */
export function writeHex(digest: usize, len: i32, out: usize): void {
  for (let i = 0; i < len; i++) {
    const byte = <i32>load<u8>(digest + <usize>i);
    store<u16>(out + ((<usize>i) << 1), hexDigit(byte >> 4) | (hexDigit(byte & 15) << 8));
  }
}
