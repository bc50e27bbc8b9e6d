// Values that are not containers: strings, numbers and the three literals. Each becomes its node
// with exact byte offsets; a byte that cannot start a value gets an error naming the likely cause.

import { decimalToF64 } from './decimal-to-f64';
import { scanNumber, scanned } from './number-text';
import { describeByte, fail } from './parse-failure';
import { readString, readText } from './read-string';
import { valueCache } from './string-cache';
import { JsonKind, JsonNumber, JsonString, JsonValue } from './value';

let lastScalar: JsonValue = new JsonValue(JsonKind.Null, 0, 0);

/** The node made by the last successful readScalar. */
export function readNode(): JsonValue {
  return lastScalar;
}

// Member values below the root object repeat (every event's type, action, bizStep, disposition,
// locations, parties), and the value cache hands out one string object per short text. With
// `shareable` set, a string or literal node is shared with the last node made for the same string
// object (or literal) instead of allocated: about 12 allocations fewer per event (bench:core,
// 1000-event documents; measured +8% and +13% prepare in two interleaved A/B runs). A shared node keeps the byte range of the occurrence it was made for.
// Only event values (items of an eventList array) and the root @context member use a scalar's range,
// and neither is ever shareable (parser.ts passes it only for members of objects below the root).
const NODE_SLOTS: i32 = 256;
const NODE_SHIFT: u32 = 24; // 32 - log2(NODE_SLOTS)
const stringNodes = new StaticArray<JsonString | null>(NODE_SLOTS);
const literalNodes = new StaticArray<JsonValue | null>(3);

/** A node for string `text` read at [start, end): shared with an earlier one for the same object. */
function stringNode(text: string, start: i32, end: i32, shareable: bool): JsonString {
  if (!shareable) return new JsonString(text, start, end);
  const address = changetype<usize>(text);
  const slot = <i32>((<u32>address * 0x9e3779b1) >>> NODE_SHIFT);
  const cached = unchecked(stringNodes[slot]);
  if (cached !== null && changetype<usize>(cached.value) == address) return cached;
  const node = new JsonString(text, start, end);
  unchecked((stringNodes[slot] = node));
  return node;
}

/**
 * Reads the scalar at `p` (p < end); returns the address after it, or 0. Offsets count from `base`.
 * `shareable`: the node may be shared with equal scalars elsewhere (see stringNode).
 */
export function readScalar(p: usize, end: usize, base: usize, maxBytes: i32, shareable: bool = false): usize {
  const c = <u32>load<u8>(p);
  const start = <i32>(p - base);
  if (c == 0x22) {
    const q = readString(p, end, maxBytes, false);
    if (q) lastScalar = stringNode(readText(), start, <i32>(q - base), shareable);
    return q;
  }
  if (c == 0x2d || c - 0x30 <= 9) {
    const q = scanNumber(p, end);
    if (!q) return 0;
    const n = <i32>(q - p);
    if (n > maxBytes) {
      return fail(
        p,
        'a number longer than ' + maxBytes.toString() + ' bytes (the maxStringBytes limit) starts',
      );
    }
    const magnitude = decimalToF64(scanned.mantissa, scanned.exponent, scanned.truncated, p, q);
    const value = scanned.negative ? -magnitude : magnitude;
    lastScalar = new JsonNumber(valueCache.get(p, n, end), value, scanned.isInteger, start, start + n);
    return q;
  }
  // Little-endian words of the literal texts: 'true', 'fals', 'null'.
  if (c == 0x74) return literal(p, end, base, 0x65757274, 4, JsonKind.True, "'true'", shareable);
  if (c == 0x66) {
    if (end - p >= 5 && load<u8>(p, 4) != 0x65) return fail(p, "invalid literal: expected 'false'");
    return literal(p, end, base, 0x736c6166, 5, JsonKind.False, "'false'", shareable);
  }
  if (c == 0x6e) return literal(p, end, base, 0x6c6c756e, 4, JsonKind.Null, "'null'", shareable);
  return fail(p, notAValue(c, p, end));
}

function literal(
  p: usize,
  end: usize,
  base: usize,
  word: u32,
  n: usize,
  kind: JsonKind,
  name: string,
  shareable: bool,
): usize {
  if (end - p < n || load<u32>(p) != word) return fail(p, 'invalid literal: expected ' + name);
  // Kinds Null, False and True are 0, 1 and 2: the slots of the shared literal nodes.
  const shared = shareable ? unchecked(literalNodes[kind]) : null;
  if (shared !== null) {
    lastScalar = shared;
  } else {
    lastScalar = new JsonValue(kind, <i32>(p - base), <i32>(p + n - base));
    if (shareable) unchecked((literalNodes[kind] = lastScalar));
  }
  return p + n;
}

function notAValue(c: u32, p: usize, end: usize): string {
  switch (c) {
    case 0x4e:
      return 'NaN is not allowed in JSON';
    case 0x49:
      return 'Infinity is not allowed in JSON';
    case 0x27:
      return 'strings must use double quotes, not single quotes';
    case 0x2f:
      return 'comments are not allowed in JSON';
    case 0x2b:
      return "numbers must not start with '+'";
    case 0x2e:
      return 'numbers must start with a digit (write 0.5, not .5)';
    default:
      return 'expected a JSON value but found ' + describeByte(p, end);
  }
}
