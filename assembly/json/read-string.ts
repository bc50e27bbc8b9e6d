// JSON string literals (RFC 8259 §7). The common case, plain ASCII without escapes, is found with
// one SIMD scan and widened straight into the result. Anything else takes two passes: find the
// closing quote, then decode escapes and validate UTF-8 into a string allocated at the upper bound
// (one UTF-16 unit per input byte) and shrunk in place.

import { widenAscii } from './ascii-string';
import { findStringDelimiter, findStringSpecial } from './byte-scan';
import { describeByte, fail } from './parse-failure';
import { keyCache, valueCache } from './string-cache';
import { decodeEscape } from './string-escape';
import { decodeUtf8Sequence, sequenceCodePoint, sequenceLength, utf8ProblemText } from './utf8-sequence';

let lastText: string = '';

/** The text of the string most recently read by readString. */
export function readText(): string {
  return lastText;
}

/**
 * Reads the string literal whose opening quote is at `p`. Returns the address after the closing
 * quote, or 0 after recording a failure. Short plain strings come from the string caches.
 */
export function readString(p: usize, end: usize, maxBytes: i32, isKey: bool): usize {
  const content = p + 1;
  // The closing quote may sit right after maxBytes bytes of content.
  const scanEnd = end - content > <usize>maxBytes ? content + <usize>maxBytes + 1 : end;
  const special = findStringSpecial(content, scanEnd);
  if (special < scanEnd && load<u8>(special) == 0x22) {
    const n = <i32>(special - content);
    lastText = isKey ? keyCache.get(content, n, end) : valueCache.get(content, n, end);
    return special + 1;
  }
  const close = findClosingQuote(p, special, scanEnd, end, maxBytes);
  if (!close) return 0;
  return decodeSlow(content, close);
}

function findClosingQuote(open: usize, q: usize, scanEnd: usize, end: usize, maxBytes: i32): usize {
  while (true) {
    q = findStringDelimiter(q, scanEnd);
    if (q >= scanEnd) break;
    const c = <u32>load<u8>(q);
    if (c == 0x22) return q;
    if (c != 0x5c) {
      return fail(q, describeByte(q, end) + ' must be escaped inside a string (is a closing quote missing?)');
    }
    q += 2;
  }
  if (scanEnd < end) {
    return fail(
      open,
      'a string longer than ' + maxBytes.toString() + ' bytes (the maxStringBytes limit) starts',
    );
  }
  return fail(open, 'unterminated string: the input ends before its closing quote; the string starts');
}

/** Decodes and validates [content, close), which holds no unescaped quote or control. Returns close + 1, or 0. */
function decodeSlow(content: usize, close: usize): usize {
  const out = __new((close - content) << 1, idof<string>());
  let o = out;
  let s = content;
  while (s < close) {
    const c = <u32>load<u8>(s);
    if (c < 0x80 && c != 0x5c) {
      const run = findStringSpecial(s, close) - s;
      // Pass one rejected unescaped controls, so a run is never empty; never loop if it were.
      if (run == 0) return fail(s, describeByte(s, close) + ' must be escaped inside a string');
      widenAscii(o, s, run);
      o += run << 1;
      s += run;
    } else if (c == 0x5c) {
      const unit = decodeEscape(s, close);
      if (unit < 0) return 0;
      if (unit > 0xffff) {
        store<u16>(o, <u16>(0xd800 + ((unit - 0x10000) >> 10)));
        store<u16>(o, <u16>(0xdc00 + ((unit - 0x10000) & 0x3ff)), 2);
        o += 4;
        s += 12;
      } else {
        store<u16>(o, <u16>unit);
        o += 2;
        s += load<u8>(s, 1) == 0x75 ? 6 : 2;
      }
    } else {
      const decoded = decodeUtf8Sequence(s, close);
      if (decoded < 0) return fail(s, utf8ProblemText(-decoded, s, close) + ' inside a string');
      const cp = sequenceCodePoint(decoded);
      if (cp > 0xffff) {
        store<u16>(o, <u16>(0xd800 + ((cp - 0x10000) >> 10)));
        store<u16>(o, <u16>(0xdc00 + ((cp - 0x10000) & 0x3ff)), 2);
        o += 4;
      } else {
        store<u16>(o, <u16>cp);
        o += 2;
      }
      s += <usize>sequenceLength(decoded);
    }
  }
  lastText = changetype<string>(__renew(out, o - out));
  return close + 1;
}
