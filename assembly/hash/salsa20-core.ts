// The Salsa20/8 core (RFC 7914 §3): scrypt's mixing function over one 64-byte block of sixteen
// little-endian words, which is how Wasm loads them, so no byte swapping is needed.

/** Replaces the 64 bytes at `b` with Salsa20/8(b). */
export function salsa20x8(b: usize): void {
  let x0 = load<u32>(b, 0);
  let x1 = load<u32>(b, 4);
  let x2 = load<u32>(b, 8);
  let x3 = load<u32>(b, 12);
  let x4 = load<u32>(b, 16);
  let x5 = load<u32>(b, 20);
  let x6 = load<u32>(b, 24);
  let x7 = load<u32>(b, 28);
  let x8 = load<u32>(b, 32);
  let x9 = load<u32>(b, 36);
  let x10 = load<u32>(b, 40);
  let x11 = load<u32>(b, 44);
  let x12 = load<u32>(b, 48);
  let x13 = load<u32>(b, 52);
  let x14 = load<u32>(b, 56);
  let x15 = load<u32>(b, 60);
  for (let i = 0; i < 8; i += 2) {
    // Column round.
    x4 ^= rotl<u32>(x0 + x12, 7);
    x8 ^= rotl<u32>(x4 + x0, 9);
    x12 ^= rotl<u32>(x8 + x4, 13);
    x0 ^= rotl<u32>(x12 + x8, 18);
    x9 ^= rotl<u32>(x5 + x1, 7);
    x13 ^= rotl<u32>(x9 + x5, 9);
    x1 ^= rotl<u32>(x13 + x9, 13);
    x5 ^= rotl<u32>(x1 + x13, 18);
    x14 ^= rotl<u32>(x10 + x6, 7);
    x2 ^= rotl<u32>(x14 + x10, 9);
    x6 ^= rotl<u32>(x2 + x14, 13);
    x10 ^= rotl<u32>(x6 + x2, 18);
    x3 ^= rotl<u32>(x15 + x11, 7);
    x7 ^= rotl<u32>(x3 + x15, 9);
    x11 ^= rotl<u32>(x7 + x3, 13);
    x15 ^= rotl<u32>(x11 + x7, 18);
    // Row round.
    x1 ^= rotl<u32>(x0 + x3, 7);
    x2 ^= rotl<u32>(x1 + x0, 9);
    x3 ^= rotl<u32>(x2 + x1, 13);
    x0 ^= rotl<u32>(x3 + x2, 18);
    x6 ^= rotl<u32>(x5 + x4, 7);
    x7 ^= rotl<u32>(x6 + x5, 9);
    x4 ^= rotl<u32>(x7 + x6, 13);
    x5 ^= rotl<u32>(x4 + x7, 18);
    x11 ^= rotl<u32>(x10 + x9, 7);
    x8 ^= rotl<u32>(x11 + x10, 9);
    x9 ^= rotl<u32>(x8 + x11, 13);
    x10 ^= rotl<u32>(x9 + x8, 18);
    x12 ^= rotl<u32>(x15 + x14, 7);
    x13 ^= rotl<u32>(x12 + x15, 9);
    x14 ^= rotl<u32>(x13 + x12, 13);
    x15 ^= rotl<u32>(x14 + x13, 18);
  }
  store<u32>(b, load<u32>(b, 0) + x0, 0);
  store<u32>(b, load<u32>(b, 4) + x1, 4);
  store<u32>(b, load<u32>(b, 8) + x2, 8);
  store<u32>(b, load<u32>(b, 12) + x3, 12);
  store<u32>(b, load<u32>(b, 16) + x4, 16);
  store<u32>(b, load<u32>(b, 20) + x5, 20);
  store<u32>(b, load<u32>(b, 24) + x6, 24);
  store<u32>(b, load<u32>(b, 28) + x7, 28);
  store<u32>(b, load<u32>(b, 32) + x8, 32);
  store<u32>(b, load<u32>(b, 36) + x9, 36);
  store<u32>(b, load<u32>(b, 40) + x10, 40);
  store<u32>(b, load<u32>(b, 44) + x11, 44);
  store<u32>(b, load<u32>(b, 48) + x12, 48);
  store<u32>(b, load<u32>(b, 52) + x13, 52);
  store<u32>(b, load<u32>(b, 56) + x14, 56);
  store<u32>(b, load<u32>(b, 60) + x15, 60);
}
