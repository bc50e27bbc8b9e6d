// UTF-8 as RFC 3629 defines it: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
// JSON text must be UTF-8 (RFC 8259 §8.1), and a string we cannot store losslessly is rejected.

export enum Utf8Problem {
  StrayContinuation = 1,
  Overlong = 2,
  Surrogate = 3,
  TooLarge = 4,
  Truncated = 5,
  InvalidByte = 6,
}

function isContinuation(b: u32): bool {
  return (b & 0xc0) == 0x80;
}

/**
 * Decodes the multi-byte sequence at `p` (its first byte is >= 0x80, and p < end). Returns
 * `(length << 21) | codePoint` for a valid sequence, or `-problem` (a Utf8Problem).
 */
export function decodeUtf8Sequence(p: usize, end: usize): i32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0xc0) return -Utf8Problem.StrayContinuation;
  if (b0 < 0xc2) return -Utf8Problem.Overlong;
  if (b0 > 0xf7) return -Utf8Problem.InvalidByte;
  if (b0 > 0xf4) return -Utf8Problem.TooLarge;
  if (p + 1 >= end) return -Utf8Problem.Truncated;
  const b1 = <u32>load<u8>(p, 1);
  if (!isContinuation(b1)) return -Utf8Problem.Truncated;
  if (b0 < 0xe0) return (2 << 21) | ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  if (b0 == 0xe0 && b1 < 0xa0) return -Utf8Problem.Overlong;
  if (b0 == 0xed && b1 >= 0xa0) return -Utf8Problem.Surrogate;
  if (b0 == 0xf0 && b1 < 0x90) return -Utf8Problem.Overlong;
  if (b0 == 0xf4 && b1 >= 0x90) return -Utf8Problem.TooLarge;
  if (p + 2 >= end) return -Utf8Problem.Truncated;
  const b2 = <u32>load<u8>(p, 2);
  if (!isContinuation(b2)) return -Utf8Problem.Truncated;
  if (b0 < 0xf0) return (3 << 21) | ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  if (p + 3 >= end) return -Utf8Problem.Truncated;
  const b3 = <u32>load<u8>(p, 3);
  if (!isContinuation(b3)) return -Utf8Problem.Truncated;
  return (4 << 21) | ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
}

export function sequenceLength(decoded: i32): i32 {
  return decoded >>> 21;
}

export function sequenceCodePoint(decoded: i32): u32 {
  return (<u32>decoded) & 0x1fffff;
}

/** Uppercase hexadecimal with at least `digits` digits, for messages ("0xC3", "U+00E9"). */
export function hex(v: u32, digits: i32): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

/** Explains a problem reported by decodeUtf8Sequence for the sequence at `p`. */
export function utf8ProblemText(problem: i32, p: usize, end: usize): string {
  const b0 = <u32>load<u8>(p);
  switch (problem) {
    case Utf8Problem.StrayContinuation:
      return 'invalid UTF-8: continuation byte 0x' + hex(b0, 2) + ' without a lead byte';
    case Utf8Problem.Overlong:
      return 'invalid UTF-8: overlong encoding starting with byte 0x' + hex(b0, 2);
    case Utf8Problem.Surrogate: {
      const b2 = p + 2 < end ? <u32>load<u8>(p, 2) : 0;
      if (!isContinuation(b2)) return 'invalid UTF-8: a surrogate code point is encoded directly';
      const cp = 0xd000 | (((<u32>load<u8>(p, 1)) & 0x3f) << 6) | (b2 & 0x3f);
      return 'invalid UTF-8: surrogate code point U+' + hex(cp, 4) + ' is encoded directly';
    }
    case Utf8Problem.TooLarge:
      return 'invalid UTF-8: code point above U+10FFFF';
    case Utf8Problem.Truncated:
      return 'invalid UTF-8: truncated multi-byte sequence starting with byte 0x' + hex(b0, 2);
    default:
      return 'invalid UTF-8: byte 0x' + hex(b0, 2) + ' never appears in UTF-8';
  }
}
