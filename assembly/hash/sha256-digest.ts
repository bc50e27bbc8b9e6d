// Digest output: the final intermediate hash words written big-endian (FIPS 180-4 §6.2.2 step 4).

/** Writes the 32-byte digest for the eight native-endian state words at `state`. */
export function storeDigest(state: usize, out: usize): void {
  for (let i: usize = 0; i < 32; i += 4) {
    store<u32>(out + i, bswap<u32>(load<u32>(state + i)));
  }
}

/**
 * Writes the 32-byte digest of one lane of a four-lane state, where word w of lane l is the u32 at
 * `state4 + 16 * w + 4 * l`.
 */
export function storeLaneDigest(state4: usize, lane: i32, out: usize): void {
  const at = state4 + ((<usize>lane) << 2);
  for (let i: usize = 0; i < 8; i++) {
    store<u32>(out + (i << 2), bswap<u32>(load<u32>(at + (i << 4))));
  }
}
