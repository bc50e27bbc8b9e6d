// The SIMD scans every JSON byte goes through: whitespace between tokens and string contents.

// Bit c is set for the four JSON whitespace bytes (RFC 8259 §2): tab, LF, CR and space.
const WHITESPACE_BITS: u64 = (1 << 0x09) | (1 << 0x0a) | (1 << 0x0d) | ((<u64>1) << 0x20);

export function isWhitespace(c: u32): bool {
  return c <= 0x20 && ((WHITESPACE_BITS >> c) & 1) != 0;
}

const SPACE = i8x16.splat(0x20);
const TAB = i8x16.splat(0x09);
const LF = i8x16.splat(0x0a);
const CR = i8x16.splat(0x0d);

export function skipWhitespace(p: usize, end: usize): usize {
  if (p < end && load<u8>(p) > 0x20) return p;
  // Pretty-printed input puts a newline and a run of indentation before most tokens.
  while (p + 16 <= end) {
    const v = v128.load(p);
    const blank = v128.or(
      v128.or(i8x16.eq(v, SPACE), i8x16.eq(v, LF)),
      v128.or(i8x16.eq(v, TAB), i8x16.eq(v, CR)),
    );
    const mask = ~i8x16.bitmask(blank) & 0xffff;
    if (mask != 0) return p + <usize>ctz(mask);
    p += 16;
  }
  while (p < end && isWhitespace(load<u8>(p))) p++;
  return p;
}

const QUOTE = i8x16.splat(0x22);
const BACKSLASH = i8x16.splat(0x5c);
const PRINTABLE_SPAN = i8x16.splat(0x5f);

/**
 * The first address in [p, end) holding '"', '\\', a control character or a non-ASCII byte, or
 * `end`. Everything before it can be copied into a string as is.
 */
export function findStringSpecial(p: usize, end: usize): usize {
  while (p + 16 <= end) {
    const v = v128.load(p);
    // After subtracting 0x20 (wrapping), printable ASCII is exactly 0x00..0x5F.
    const outside = i8x16.gt_u(i8x16.sub(v, SPACE), PRINTABLE_SPAN);
    const special = v128.or(outside, v128.or(i8x16.eq(v, QUOTE), i8x16.eq(v, BACKSLASH)));
    const mask = i8x16.bitmask(special);
    if (mask != 0) return p + <usize>ctz(mask);
    p += 16;
  }
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 0x22 || c == 0x5c || c - 0x20 > 0x5f) return p;
    p++;
  }
  return end;
}

/**
 * The first address in [p, end) holding '"', '\\' or a control character, or `end`: where a
 * string literal may end, whatever UTF-8 it holds.
 */
export function findStringDelimiter(p: usize, end: usize): usize {
  while (p + 16 <= end) {
    const v = v128.load(p);
    const delimiter = v128.or(i8x16.lt_u(v, SPACE), v128.or(i8x16.eq(v, QUOTE), i8x16.eq(v, BACKSLASH)));
    const mask = i8x16.bitmask(delimiter);
    if (mask != 0) return p + <usize>ctz(mask);
    p += 16;
  }
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 0x22 || c == 0x5c || c < 0x20) return p;
    p++;
  }
  return end;
}
