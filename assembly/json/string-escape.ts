// Backslash escapes inside JSON strings (RFC 8259 §7). A \u escape of a lone surrogate is rejected:
// the text could not be stored as UTF-8 (or compared and hashed) without changing it.

import { describeByte, fail } from './parse-failure';
import { hex } from './utf8-sequence';

/**
 * Decodes the escape at `s` (a backslash before `close`): the code point, or -1 after recording a
 * failure. A surrogate pair of \u escapes yields one code point above 0xFFFF (12 bytes consumed).
 */
export function decodeEscape(s: usize, close: usize): i32 {
  const e = <u32>load<u8>(s, 1);
  switch (e) {
    case 0x22:
    case 0x5c:
    case 0x2f:
      return <i32>e;
    case 0x62:
      return 0x08;
    case 0x66:
      return 0x0c;
    case 0x6e:
      return 0x0a;
    case 0x72:
      return 0x0d;
    case 0x74:
      return 0x09;
    case 0x75:
      break;
    default: {
      fail(
        s,
        'invalid escape \\' +
          describeEscaped(s + 1, close) +
          '; JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX',
      );
      return -1;
    }
  }
  const unit = hex4(s + 2, close);
  if (unit < 0) {
    fail(s, 'invalid \\u escape: it must be followed by exactly four hexadecimal digits');
    return -1;
  }
  if (unit >= 0xdc00 && unit < 0xe000) {
    fail(s, 'lone low surrogate \\u' + hex(unit, 4) + ' (it must follow a high surrogate \\uD800-\\uDBFF)');
    return -1;
  }
  if (unit < 0xd800 || unit >= 0xdc00) return unit;
  const low = s + 12 <= close && load<u8>(s, 6) == 0x5c && load<u8>(s, 7) == 0x75 ? hex4(s + 8, close) : -1;
  if (low < 0xdc00 || low >= 0xe000) {
    fail(
      s,
      'lone high surrogate \\u' + hex(unit, 4) + ' (it must be followed by a low surrogate \\uDC00-\\uDFFF)',
    );
    return -1;
  }
  return 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
}

function describeEscaped(p: usize, close: usize): string {
  const c = <u32>load<u8>(p);
  return c >= 0x21 && c < 0x7f ? String.fromCharCode(c) : 'followed by ' + describeByte(p, close);
}

function hex4(p: usize, close: usize): i32 {
  if (p + 4 > close) return -1;
  let v = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d = -1;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x57;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}
