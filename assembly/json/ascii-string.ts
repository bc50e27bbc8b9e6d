// Builds strings straight from input bytes, without a temporary buffer.

/** A string of the `n` ASCII bytes at `p`. */
export function asciiString(p: usize, n: i32): string {
  if (n <= 0) return '';
  const out = __new((<usize>n) << 1, idof<string>());
  widenAscii(out, p, <usize>n);
  return changetype<string>(out);
}

/** Writes the `n` ASCII bytes at `src` as UTF-16 code units at `dst`, sixteen at a time. */
export function widenAscii(dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + i);
    v128.store(dst + (i << 1), i16x8.extend_low_i8x16_u(v));
    v128.store(dst + (i << 1), i16x8.extend_high_i8x16_u(v), 16);
  }
  if (i + 8 <= n) {
    v128.store(dst + (i << 1), i16x8.extend_low_i8x16_u(v128.load64_zero(src + i)));
    i += 8;
  }
  for (; i < n; i++) store<u16>(dst + (i << 1), load<u8>(src + i));
}
