// A strict RFC 8259 JSON parser: UTF-8 bytes in linear memory in, the tree of ./value out, or one
// error a person can act on. It is iterative (open containers live on explicit stacks), so hostile
// nesting cannot exhaust the wasm stack, and it never traps on bad input: every problem becomes a
// ParseResult with the offending byte offset.

import { close, Container, containerAt, open, pushKey, pushValue, release } from './container-stack';
import { skipWhitespace } from './byte-scan';
import { describeByte, describeLocation, fail, failureAddress, failureReason, hasBom } from './parse-failure';
import { readNode, readScalar } from './read-scalar';
import { readString, readText } from './read-string';
import { JsonValue } from './value';

export class ParseLimits {
  /** Deepest nesting of arrays and objects. */
  maxDepth: i32 = 64;
  /** Longest string (and number) in bytes as written, escapes included. */
  maxStringBytes: i32 = 4 << 20;
  /** Most values in the whole document, containers and scalars alike. */
  maxMembers: i32 = 1 << 22;
}

export class ParseResult {
  /** The document's root value; null on error. */
  value: JsonValue | null = null;
  /** Byte offset of the problem in the input, -1 when ok. */
  errorOffset: i32 = -1;
  /** One sentence naming the problem and its line, column and byte; empty when ok. */
  error: string = '';
}

const MAX_STRING_BYTES_CAP = 1 << 29;

let depth = 0;

/** Parses the `len` bytes at `ptr` as one JSON document. */
export function parseJson(ptr: usize, len: i32, limits: ParseLimits): ParseResult {
  const result = new ParseResult();
  depth = 0;
  const value = parseDocument(ptr, ptr + <usize>max(len, 0), limits);
  release(depth);
  if (value !== null) {
    result.value = value;
  } else {
    const at = failureAddress();
    result.errorOffset = <i32>(at - ptr);
    result.error = failureReason() + ' at ' + describeLocation(ptr, at);
  }
  return result;
}

function parseDocument(base: usize, end: usize, limits: ParseLimits): JsonValue | null {
  // Capped so that no string allocation can exceed the runtime's 1 GiB object limit and trap.
  const maxBytes = min(max(limits.maxStringBytes, 0), MAX_STRING_BYTES_CAP);
  let p = skipWhitespace(hasBom(base, end) ? base + 3 : base, end);
  if (p >= end) {
    fail(p, 'the input holds no JSON value (it is empty or only whitespace)');
    return null;
  }
  let frame = containerAt(0);
  let count = 0;
  while (true) {
    if (p >= end) {
      fail(p, 'unexpected end of input: expected a value');
      return null;
    }
    if (++count > limits.maxMembers) {
      fail(
        p,
        'the document holds more than ' + limits.maxMembers.toString() + ' values (the maxMembers limit)',
      );
      return null;
    }
    const c = load<u8>(p);
    let value: JsonValue;
    if (c == 0x5b || c == 0x7b) {
      if (depth >= limits.maxDepth) {
        fail(
          p,
          'arrays and objects nest more than ' +
            limits.maxDepth.toString() +
            ' levels deep (the maxDepth limit)',
        );
        return null;
      }
      frame = open(++depth, p, c == 0x7b);
      p = skipWhitespace(p + 1, end);
      if (p >= end || load<u8>(p) != c + 2) {
        if (c == 0x7b) {
          p = readMemberKey(p, end, frame, maxBytes);
          if (!p) return null;
        }
        continue;
      }
      const empty = close(frame, ++p, base);
      if (empty === null) return null;
      value = empty;
      frame = containerAt(--depth);
    } else {
      // Members of objects below the root may share scalar nodes (read-scalar.ts stringNode).
      p = readScalar(p, end, base, maxBytes, depth >= 2 && frame.isObject);
      if (!p) return null;
      value = readNode();
    }
    // A value is complete: attach it, and close every container that ends right after it.
    while (true) {
      if (depth == 0) {
        p = skipWhitespace(p, end);
        if (p < end) {
          fail(
            p,
            'unexpected ' + describeByte(p, end) + ' after the JSON value (only whitespace may follow it)',
          );
          return null;
        }
        return value;
      }
      pushValue(value);
      p = skipWhitespace(p, end);
      const d = p < end ? <u32>load<u8>(p) : 0;
      const closer: u32 = frame.isObject ? 0x7d : 0x5d;
      if (d == closer) {
        const closed = close(frame, ++p, base);
        if (closed === null) return null;
        value = closed;
        frame = containerAt(--depth);
        continue;
      }
      if (d != 0x2c) {
        fail(p, expectedAfterItem(frame, p, end, base));
        return null;
      }
      const comma = p;
      p = skipWhitespace(p + 1, end);
      if (p < end && load<u8>(p) == closer) {
        fail(
          comma,
          frame.isObject
            ? "unexpected ',' after the last member of an object"
            : "unexpected ',' after the last item of an array",
        );
        return null;
      }
      if (frame.isObject) {
        p = readMemberKey(p, end, frame, maxBytes);
        if (!p) return null;
      }
      break;
    }
  }
}

/** Reads `"key" :` at `p` and returns the address of the member's value, or 0. */
function readMemberKey(p: usize, end: usize, frame: Container, maxBytes: i32): usize {
  if (p >= end || load<u8>(p) != 0x22) {
    if (p < end && load<u8>(p) == 0x27) return fail(p, 'keys must use double quotes, not single quotes');
    return fail(p, 'expected a double-quoted key but found ' + describeByte(p, end));
  }
  const q = readString(p, end, maxBytes, true);
  if (!q) return 0;
  if (!pushKey(frame, readText(), p)) return 0;
  p = skipWhitespace(q, end);
  if (p >= end || load<u8>(p) != 0x3a) {
    return fail(p, "expected ':' after an object key but found " + describeByte(p, end));
  }
  return skipWhitespace(p + 1, end);
}

function expectedAfterItem(frame: Container, p: usize, end: usize, base: usize): string {
  const what = frame.isObject ? "',' or '}' after an object member" : "',' or ']' after an array item";
  const opened =
    (frame.isObject ? 'the object opened at ' : 'the array opened at ') + describeLocation(base, frame.start);
  if (p >= end) return 'unexpected end of input: expected ' + what + ' (' + opened + ' is not closed)';
  return 'expected ' + what + ' but found ' + describeByte(p, end);
}
