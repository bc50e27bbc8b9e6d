// Reused string arrays for the pre-hash hot path. Allocation is the largest single cost of
// building a pre-hash (TLSF + GC bookkeeping showed ~40% of the time in profiles), and most
// arrays live only while one field renders, so each nesting depth keeps one array alive for
// good. buildPrehash is not re-entrant, and every borrow is paired with a give-back on all paths.

const arrays = new Array<Array<string>>();
let depth = 0;

/** An empty array for the current nesting depth. */
export function borrowStrings(): Array<string> {
  if (depth == arrays.length) arrays.push(new Array<string>());
  const array = unchecked(arrays[depth]);
  depth++;
  return array;
}

/** Gives back the most recently borrowed array, emptied so it holds no event data. */
export function giveBackStrings(array: Array<string>): void {
  array.length = 0;
  depth--;
}
