// Message padding (FIPS 180-4 §5.1.1): the bytes after the last whole block, a 0x80 byte, zeros,
// and the message length in bits as a big-endian 64-bit integer, filling one or two blocks.

/**
 * Writes the padded final block(s) of a `len`-byte message whose last `len % 64` bytes start at
 * `rest` into `tail` (128 bytes of room) and returns how many blocks it wrote (1 or 2).
 */
export function padTail(rest: usize, len: i32, tail: usize): i32 {
  const used = <usize>(len & 63);
  const blocks = used < 56 ? 1 : 2;
  const end = (<usize>blocks) << 6;
  // Plain stores instead of memory.fill / memory.copy: V8 runs those bulk-memory instructions as
  // calls out of Wasm, which cost more than the at most 63 bytes moved here.
  const zero = i32x4.splat(0);
  for (let i: usize = 0; i < end; i += 16) v128.store(tail + i, zero);
  let i: usize = 0;
  for (; i + 8 <= used; i += 8) store<u64>(tail + i, load<u64>(rest + i));
  for (; i < used; i++) store<u8>(tail + i, load<u8>(rest + i));
  store<u8>(tail + used, 0x80);
  // len is a non-negative i32, so its bit count fits in 35 bits.
  store<u32>(tail + end - 8, bswap<u32>((<u32>len) >>> 29));
  store<u32>(tail + end - 4, bswap<u32>((<u32>len) << 3));
  return blocks;
}
