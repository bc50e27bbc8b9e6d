// Duplicate keys make an object ambiguous (RFC 8259 §4 leaves their meaning open), so the parser
// rejects them. The first LINEAR_LIMIT keys of an object are compared with the earlier ones as they
// arrive. Larger objects are checked once more when they close, by sorting: O(n log n) whatever the
// keys are, where an unkeyed hash table could be flooded with crafted colliding keys.

export const LINEAR_LIMIT = 16;

/** True when keys[from, to) holds a key equal to `key`. */
export function containsKey(keys: Array<string>, from: i32, to: i32, key: string): bool {
  for (let i = from; i < to; i++) {
    if (unchecked(keys[i]) == key) return true;
  }
  return false;
}

// The keys being sorted: a comparator cannot capture a local.
const NO_KEYS = new Array<string>();
let sorting = NO_KEYS;

function byKeyThenPosition(a: i32, b: i32): i32 {
  const c = unchecked(sorting[a]).localeCompare(unchecked(sorting[b]));
  return c != 0 ? c : a - b;
}

/**
 * The position in keys[from, to) of the first key, in document order, that repeats an earlier
 * one, or -1 when all are distinct.
 */
export function firstRepeatedKey(keys: Array<string>, from: i32, to: i32): i32 {
  const n = to - from;
  if (n < 2) return -1;
  const order = new Array<i32>(n);
  for (let i = 0; i < n; i++) unchecked((order[i] = from + i));
  sorting = keys;
  order.sort(byKeyThenPosition);
  sorting = NO_KEYS;
  let first = -1;
  for (let i = 1; i < n; i++) {
    const a = unchecked(order[i - 1]);
    const b = unchecked(order[i]);
    // Equal keys sort together by position, so b is a repeat of an earlier key.
    if ((first < 0 || b < first) && unchecked(keys[a]) == unchecked(keys[b])) first = b;
  }
  return first;
}
