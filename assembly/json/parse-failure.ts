// Parse errors are values. Scanning functions return the next input address, or 0 after recording
// the first problem here; every address they return lies past at least one byte, so 0 is never a
// valid result. Messages are built only on this cold path.

import { decodeUtf8Sequence, hex, sequenceCodePoint } from './utf8-sequence';

let failedAt: usize = 0;
let failedWhy: string = '';

/** Records the problem at address `at` and returns 0 for the caller to pass up. */
export function fail(at: usize, why: string): usize {
  failedAt = at;
  failedWhy = why;
  return 0;
}

export function failureAddress(): usize {
  return failedAt;
}

export function failureReason(): string {
  return failedWhy;
}

/** "line 3, column 17 (byte 52)": lines end at LF, columns count code points from 1, a BOM is not one. */
export function describeLocation(base: usize, at: usize): string {
  let line = 1;
  let lineStart = base;
  for (let p = base; p < at; p++) {
    if (load<u8>(p) == 0x0a) {
      line++;
      lineStart = p + 1;
    }
  }
  let column = 1;
  for (let p = lineStart; p < at; p++) {
    if ((load<u8>(p) & 0xc0) != 0x80) column++;
  }
  if (lineStart == base && at >= base + 3 && hasBom(base, at)) column--;
  return (
    'line ' + line.toString() + ', column ' + column.toString() + ' (byte ' + (at - base).toString() + ')'
  );
}

export function hasBom(p: usize, end: usize): bool {
  return end - p >= 3 && load<u8>(p) == 0xef && load<u8>(p, 1) == 0xbb && load<u8>(p, 2) == 0xbf;
}

/** Names the input at `p` for a message: "','", "control character U+0009", "the end of the input". */
export function describeByte(p: usize, end: usize): string {
  if (p >= end) return 'the end of the input';
  const c = <u32>load<u8>(p);
  if (c >= 0x20 && c < 0x7f) return "'" + String.fromCharCode(c) + "'";
  if (c < 0x80) return 'control character U+' + hex(c, 4);
  const decoded = decodeUtf8Sequence(p, end);
  if (decoded < 0) return 'invalid UTF-8 byte 0x' + hex(c, 2);
  return 'character U+' + hex(sequenceCodePoint(decoded), 4);
}

/** `s` in double quotes with quotes, backslashes and controls escaped, cut after 60 characters. */
export function quoted(s: string): string {
  const cut = s.length > 60;
  let out = '"';
  for (let i = 0, n = cut ? 60 : s.length; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    if (c == 0x22 || c == 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c < 0x20) out += '\\u' + hex(c, 4);
    else out += String.fromCharCode(c);
  }
  return out + (cut ? '…"' : '"');
}
