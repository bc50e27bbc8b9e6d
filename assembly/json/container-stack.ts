// The open arrays and objects, kept on explicit stacks instead of the wasm call stack, so nesting
// depth is bounded only by ParseLimits.maxDepth. Items and keys of all open containers share one
// value stack and one key stack; closing a container copies its slice into an exact-size array.
// The stacks are reused between parses; release() empties them so they keep nothing alive.

import { fail, quoted } from './parse-failure';
import { containsKey, firstRepeatedKey, LINEAR_LIMIT } from './key-set';
import { JsonArray, JsonObject, JsonValue } from './value';

export class Container {
  start: usize = 0;
  isObject: bool = false;
  valueBase: i32 = 0;
  keyBase: i32 = 0;
  /** One bit per (length, last character) of the first keys: most new keys skip the linear check. */
  keyFilter: u64 = 0;
  /** Where the keys after the first LINEAR_LIMIT start, for the duplicate check at close. */
  lateKeyAt: Array<usize> | null = null;
}

// Stacks that grew past these sizes are dropped after the parse rather than kept for the next one.
const KEPT_ENTRIES = 1 << 16;
const KEPT_FRAMES = 256;

let values = new Array<JsonValue>();
let keys = new Array<string>();
let grewLarge = false;
// frames[0] stands for "no container": the document root.
const frames = new Array<Container>();

/** The container at `depth` (0 = the document root). */
export function containerAt(depth: i32): Container {
  while (frames.length <= depth) frames.push(new Container());
  return unchecked(frames[depth]);
}

/** Opens a container at `depth` whose '[' or '{' is at `start`. */
export function open(depth: i32, start: usize, isObject: bool): Container {
  const frame = containerAt(depth);
  frame.start = start;
  frame.isObject = isObject;
  frame.valueBase = values.length;
  frame.keyBase = keys.length;
  frame.keyFilter = 0;
  frame.lateKeyAt = null;
  return frame;
}

export function pushValue(value: JsonValue): void {
  values.push(value);
}

/**
 * Adds a member key whose opening quote is at `at`. Returns false (failure recorded) when it
 * repeats one of the object's first LINEAR_LIMIT keys; later repeats are found by close().
 */
export function pushKey(frame: Container, key: string, at: usize): bool {
  const n = keys.length;
  keys.push(key);
  if (n - frame.keyBase >= LINEAR_LIMIT) {
    let late = frame.lateKeyAt;
    if (late === null) {
      late = new Array<usize>();
      frame.lateKeyAt = late;
    }
    late.push(at);
    return true;
  }
  const length = key.length;
  const last = length > 0 ? <u32>load<u16>(changetype<usize>(key) + ((<usize>length - 1) << 1)) : 0;
  const bit = (<u64>1) << ((<u64>length * 7 + <u64>last) & 63);
  const duplicate = (frame.keyFilter & bit) != 0 && containsKey(keys, frame.keyBase, n, key);
  frame.keyFilter |= bit;
  if (duplicate) failDuplicate(key, at);
  return !duplicate;
}

function failDuplicate(key: string, at: usize): void {
  fail(at, 'duplicate key ' + quoted(key) + ' in an object (each key may appear only once)');
}

/**
 * Closes `frame`, whose closing bracket ends just before `end`, into its node; null (failure
 * recorded) when a large object turns out to repeat a key.
 */
export function close(frame: Container, end: usize, base: usize): JsonValue | null {
  const start = <i32>(frame.start - base);
  if (values.length > KEPT_ENTRIES) grewLarge = true;
  const late = frame.lateKeyAt;
  if (late !== null) {
    const repeated = firstRepeatedKey(keys, frame.keyBase, keys.length);
    if (repeated >= 0) {
      const k = repeated - frame.keyBase - LINEAR_LIMIT;
      failDuplicate(unchecked(keys[repeated]), k >= 0 && k < late.length ? unchecked(late[k]) : frame.start);
      return null;
    }
    frame.lateKeyAt = null;
  }
  const items = values.slice(frame.valueBase);
  values.length = frame.valueBase;
  if (!frame.isObject) return new JsonArray(items, start, <i32>(end - base));
  const names = keys.slice(frame.keyBase);
  keys.length = frame.keyBase;
  return new JsonObject(names, items, start, <i32>(end - base));
}

/** Forgets everything the last parse left on the stacks. */
export function release(deepest: i32): void {
  if (grewLarge || values.length > KEPT_ENTRIES || keys.length > KEPT_ENTRIES) {
    values = new Array<JsonValue>();
    keys = new Array<string>();
    grewLarge = false;
  } else {
    values.length = 0;
    keys.length = 0;
  }
  for (let i = 0, n = min(deepest + 1, frames.length); i < n; i++) unchecked(frames[i]).lateKeyAt = null;
  if (frames.length > KEPT_FRAMES) frames.length = KEPT_FRAMES;
}
