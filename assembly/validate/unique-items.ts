// `uniqueItems: true` (epcList, inputEPCList, outputEPCList, persistentDisposition set/unset,
// @context arrays). Short lists compare pairwise. Long lists of strings (EPC lists) are sorted, so
// a 100,000-EPC list costs O(n log n) string compares and no hash a sender could make collide;
// long lists of other values (rare: big @context arrays) sort structural hashes instead.
import { JsonKind, JsonString, JsonValue } from '../json/value';
import { jsonEqual, jsonHash } from './json-equal';

const PAIRWISE_LIMIT = 16;

function pairwise(items: Array<JsonValue>, n: i32): i64 {
  for (let j = 1; j < n; j++) {
    const later = unchecked(items[j]);
    for (let i = 0; i < j; i++) {
      if (jsonEqual(unchecked(items[i]), later)) return ((<i64>i) << 32) | (<i64>j);
    }
  }
  return -1;
}

/** The first two positions of `value` among the string items (it is known to occur twice). */
function positionsOf(items: Array<JsonValue>, value: string): i64 {
  let first = -1;
  for (let i = 0, n = items.length; i < n; i++) {
    const item = unchecked(items[i]);
    if (item.kind != JsonKind.String || changetype<JsonString>(item).value != value) continue;
    if (first >= 0) return ((<i64>first) << 32) | (<i64>i);
    first = i;
  }
  return -1;
}

function sortedStrings(items: Array<JsonValue>, n: i32): i64 {
  const values = new Array<string>(n);
  for (let i = 0; i < n; i++) unchecked((values[i] = changetype<JsonString>(unchecked(items[i])).value));
  values.sort();
  for (let i = 1; i < n; i++) {
    if (unchecked(values[i]) == unchecked(values[i - 1])) return positionsOf(items, unchecked(values[i]));
  }
  return -1;
}

function sortedHashes(items: Array<JsonValue>, n: i32): i64 {
  // Each key holds a structural hash in the high half and the item's index in the low half.
  const keys = new StaticArray<u64>(n);
  for (let i = 0; i < n; i++) unchecked((keys[i] = ((<u64>jsonHash(unchecked(items[i]))) << 32) | (<u64>i)));
  keys.sort();
  for (let start = 0; start < n;) {
    const hash = unchecked(keys[start]) >>> 32;
    let end = start + 1;
    while (end < n && unchecked(keys[end]) >>> 32 == hash) end++;
    for (let b = start + 1; b < end; b++) {
      const j = <i32>(unchecked(keys[b]) & 0xffffffff);
      for (let a = start; a < b; a++) {
        const i = <i32>(unchecked(keys[a]) & 0xffffffff);
        if (jsonEqual(unchecked(items[i]), unchecked(items[j]))) return ((<i64>i) << 32) | (<i64>j);
      }
    }
    start = end;
  }
  return -1;
}

/** -1 when all items differ; otherwise `(first << 32) | later` for one pair of equal items. */
export function findDuplicate(items: Array<JsonValue>): i64 {
  const n = items.length;
  if (n < 2) return -1;
  if (n <= PAIRWISE_LIMIT) return pairwise(items, n);
  for (let i = 0; i < n; i++) {
    if (unchecked(items[i]).kind != JsonKind.String) return sortedHashes(items, n);
  }
  return sortedStrings(items, n);
}

/** " (entries 0 and 3 are equal)" for a findDuplicate result. */
export function repeatedAt(dup: i64): string {
  return ' (entries ' + (<i32>(dup >> 32)).toString() + ' and ' + (<i32>dup).toString() + ' are equal)';
}
