// Sorts identifiers without holding the event loop: Array.prototype.sort on 100,000 Digital Links
// takes 50-100 ms in one piece (measured on the 2-core test machine), longer than a /health probe
// may wait. So runs of RUN identifiers are sorted natively, then merged bottom-up, and `pause` is
// awaited every few thousand steps (it yields when the caller's slice is used up).
const RUN = 2048;
const STEPS_BETWEEN_PAUSES = 4096;

/** `ids` in UTF-16 code unit order (the order of `<`), as a new array. */
export async function sortInSlices(ids: readonly string[], pause: () => Promise<void>): Promise<string[]> {
  let from = ids.slice();
  for (let at = 0; at < from.length; at += RUN) {
    // The default comparison of strings is code unit order, and faster than a comparator.
    const run = from.slice(at, at + RUN).sort();
    for (let i = 0; i < run.length; i++) from[at + i] = run[i]!;
    await pause();
  }
  let into: string[] = new Array<string>(from.length);
  let steps = 0;
  for (let width = RUN; width < from.length; width *= 2) {
    for (let low = 0; low < from.length; low += 2 * width) {
      const middle = Math.min(low + width, from.length);
      const high = Math.min(low + 2 * width, from.length);
      let left = low;
      let right = middle;
      for (let k = low; k < high; k++) {
        into[k] =
          right >= high || (left < middle && from[left]! <= from[right]!) ? from[left++]! : from[right++]!;
        if (++steps === STEPS_BETWEEN_PAUSES) {
          steps = 0;
          await pause();
        }
      }
    }
    [from, into] = [into, from];
  }
  return from;
}
