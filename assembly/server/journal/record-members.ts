// Finds the byte ranges of a journal record's top-level members without building any value, so
// replay parses only the few bytes it applies. A journal record (capture/journal-record.ts) writes
// "declarationTimeMs" and "state" right after "eventId", "captureId" and "recordTimeMs", and the
// event text last: the scan stops as soon as both were seen and never reads "result", "context" or
// "event" (about 85% of the bytes).
// An inbound/ record (host/journal/inbound-record.ts) may lack "declarationTimeMs"; the scan then
// runs to the closing brace. Nothing here allocates: the ranges are plain numbers in globals.
//
// Measured (/tmp/replay, 100,000 records of 2.76 KB, LLVM-free WasmEdge, generic AOT): the read,
// CRC-32 and this scan take 0.45 s of CPU; the replay that gave whole payloads to the core's parser
// took 5.8–6.8 s and left 1 GB of linear memory behind.

/** Start (offset from the payload) and length of each member's value; -1 when absent. */
export let declarationAt: i32 = -1;
export let declarationLength: i32 = 0;
export let stateAt: i32 = -1;
export let stateLength: i32 = 0;

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;

function isSpace(c: u8): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

function skipSpace(ptr: usize, at: i32, len: i32): i32 {
  while (at < len && isSpace(load<u8>(ptr + <usize>at))) at++;
  return at;
}

/** The offset after the string starting at `at` (its opening quote); -1 when unterminated. */
function skipString(ptr: usize, at: i32, len: i32): i32 {
  at++;
  while (at < len) {
    const c = load<u8>(ptr + <usize>at);
    if (c == QUOTE) return at + 1;
    at += c == BACKSLASH ? 2 : 1;
  }
  return -1;
}

/** The offset after the value starting at `at`; -1 when it does not end inside the payload. */
function skipValue(ptr: usize, at: i32, len: i32): i32 {
  if (at >= len) return -1;
  const first = load<u8>(ptr + <usize>at);
  if (first == QUOTE) return skipString(ptr, at, len);
  if (first != 0x7b && first != 0x5b) {
    // A number, true, false or null: it ends at the next delimiter.
    while (at < len) {
      const c = load<u8>(ptr + <usize>at);
      if (c == 0x2c || c == 0x7d || c == 0x5d || isSpace(c)) break;
      at++;
    }
    return at;
  }
  let depth = 0;
  while (at < len) {
    const c = load<u8>(ptr + <usize>at);
    if (c == QUOTE) {
      at = skipString(ptr, at, len);
      if (at < 0) return -1;
      continue;
    }
    if (c == 0x7b || c == 0x5b) depth++;
    else if (c == 0x7d || c == 0x5d) {
      depth--;
      if (depth == 0) return at + 1;
    }
    at++;
  }
  return -1;
}

/** Whether the key at `at` (quote to quote, no escapes) spells `name` (ASCII). */
function keyIs(ptr: usize, at: i32, end: i32, name: string): bool {
  const n = name.length;
  if (end - at != n + 2) return false;
  for (let i = 0; i < n; i++) {
    if (<i32>load<u8>(ptr + <usize>(at + 1 + i)) != name.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Scans the record payload at `ptr`; false when it is not an object whose members could be
 * delimited up to the last one replay needs. The values themselves are checked by their parsers.
 */
export function findRecordMembers(ptr: usize, len: i32): bool {
  declarationAt = -1;
  stateAt = -1;
  let at = skipSpace(ptr, 0, len);
  if (at >= len || load<u8>(ptr + <usize>at) != 0x7b) return false;
  at = skipSpace(ptr, at + 1, len);
  if (at < len && load<u8>(ptr + <usize>at) == 0x7d) return true;
  while (at < len) {
    if (load<u8>(ptr + <usize>at) != QUOTE) return false;
    const keyEnd = skipString(ptr, at, len);
    if (keyEnd < 0) return false;
    const keyAt = at;
    at = skipSpace(ptr, keyEnd, len);
    if (at >= len || load<u8>(ptr + <usize>at) != 0x3a) return false;
    const valueAt = skipSpace(ptr, at + 1, len);
    const valueEnd = skipValue(ptr, valueAt, len);
    if (valueEnd < 0) return false;
    if (keyIs(ptr, keyAt, keyEnd, 'declarationTimeMs')) {
      declarationAt = valueAt;
      declarationLength = valueEnd - valueAt;
    } else if (keyIs(ptr, keyAt, keyEnd, 'state')) {
      stateAt = valueAt;
      stateLength = valueEnd - valueAt;
    }
    if (declarationAt >= 0 && stateAt >= 0) return true;
    at = skipSpace(ptr, valueEnd, len);
    if (at >= len) return false;
    const c = load<u8>(ptr + <usize>at);
    if (c == 0x7d) return true;
    if (c != 0x2c) return false;
    at = skipSpace(ptr, at + 1, len);
  }
  return false;
}
