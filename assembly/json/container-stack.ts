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
  const items = itemsFrom(frame.valueBase);
  values.length = frame.valueBase;
  if (!frame.isObject) return new JsonArray(items, start, <i32>(end - base));
  const names = sharedKeys(frame.keyBase);
  keys.length = frame.keyBase;
  return new JsonObject(names, items, start, <i32>(end - base));
}

// The item arrays of small containers share slabs instead of owning a buffer each: an Array is a
// header plus a buffer, two allocations, and allocating and later freeing them (TLSF + the
// collector) was about a fifth of the capture time. A 1000-event document has about 10 containers
// per event; sharing their buffers measured +6% prepare and +10% capture (bench:core documents,
// interleaved A/B, CPU time, medians of 15). Such an array is a normal Array<JsonValue> whose
// `buffer` is the slab (which keeps the slab alive for the collector) and whose `dataStart` points
// into it. Danger: it must never grow (push, unshift, a larger length): growing renews the whole
// slab. Parsed containers are read-only (json/value.ts); nothing in the core grows them.
const SLAB_BYTES: i32 = 64 << 10;
const SLAB_MAX_ITEMS_BYTES: i32 = SLAB_BYTES >> 4;
let slab: ArrayBuffer | null = null;
let slabUsed: i32 = 0;

/** values[from, values.length) as an exact-size array, its items in a shared slab when small. */
function itemsFrom(from: i32): Array<JsonValue> {
  const bytes = (values.length - from) << alignof<usize>();
  if (bytes > SLAB_MAX_ITEMS_BYTES) return values.slice(from);
  let current = slab;
  if (current === null || slabUsed + bytes > SLAB_BYTES) {
    current = new ArrayBuffer(SLAB_BYTES);
    slab = current;
    slabUsed = 0;
  }
  const data = changetype<usize>(current) + <usize>slabUsed;
  memory.copy(data, values.dataStart + ((<usize>from) << alignof<usize>()), <usize>bytes);
  slabUsed += bytes;
  const array = __new(offsetof<Array<JsonValue>>(), idof<Array<JsonValue>>());
  store<usize>(array, changetype<usize>(current), offsetof<Array<JsonValue>>('buffer'));
  __link(array, changetype<usize>(current), false);
  store<usize>(array, data, offsetof<Array<JsonValue>>('dataStart'));
  store<i32>(array, bytes, offsetof<Array<JsonValue>>('byteLength'));
  store<i32>(array, bytes >> alignof<usize>(), offsetof<Array<JsonValue>>('length_'));
  return changetype<Array<JsonValue>>(array);
}

// Objects of one shape (every event of a document, every readPoint, every bizTransactionList
// entry) list the same keys, and the key cache hands out the same string object for each short key.
// So an object's key array is shared with the last object whose keys were the very same strings:
// two allocations saved per object (bench:core, 1000-event documents: 12 of about 70 allocations per
// event). JsonObject.keys is never mutated. A two-way table by the key addresses' hash.
const SHAPE_SLOTS: i32 = 256;
const shapes = new StaticArray<Array<string> | null>(SHAPE_SLOTS);

/** keys[from, keys.length) as an array, shared with an earlier object holding the same key strings. */
function sharedKeys(from: i32): Array<string> {
  const n = keys.length - from;
  let h: u32 = <u32>n;
  for (let i = from, m = keys.length; i < m; i++) {
    h = (h ^ (<u32>changetype<usize>(unchecked(keys[i])))) * 0x9e3779b1;
  }
  // Two ways per set, the newest first: with one, two shapes of a document that met in a slot
  // evicted each other at every object, and then every member lookup of theirs missed the lookup
  // memo (json/value.ts) too (bench:core: seen as a tenth of the time in JsonObject#indexOf).
  const slot = (<i32>(h >>> 24)) & (SHAPE_SLOTS - 2);
  const first = unchecked(shapes[slot]);
  if (first !== null && first.length == n && sameStrings(first, from)) return first;
  const second = unchecked(shapes[slot + 1]);
  if (second !== null && second.length == n && sameStrings(second, from)) {
    unchecked((shapes[slot] = second));
    unchecked((shapes[slot + 1] = first));
    return second;
  }
  const names = keys.slice(from);
  unchecked((shapes[slot + 1] = first));
  unchecked((shapes[slot] = names));
  return names;
}

/** True when `shape` holds the same string objects as keys[from, from + shape.length). */
function sameStrings(shape: Array<string>, from: i32): bool {
  for (let i = 0, n = shape.length; i < n; i++) {
    if (changetype<usize>(unchecked(shape[i])) != changetype<usize>(unchecked(keys[from + i]))) return false;
  }
  return true;
}

/** Forgets everything the last parse left on the stacks. */
export function release(deepest: i32): void {
  // The next document starts a slab of its own, so a value kept from this one pins no later slab.
  slab = null;
  slabUsed = 0;
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
