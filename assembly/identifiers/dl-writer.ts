// Builds the canonical Digital Link in one reused scratch buffer, so a conversion allocates nothing
// but the final string (and not even that when the input already was canonical).
import { gs1CheckDigit } from './check-digit';

export const GS1_ORIGIN = 'https://id.gs1.org';

// Callers check every value's length before writing it, so the longest canonical form (about 240
// characters: ITIP with three fully escaped 20-character qualifiers) never reaches this; the guard in
// put() only keeps a future bug from writing out of bounds.
const CAPACITY = 512;
const buffer = new StaticArray<u16>(CAPACITY);
let used = 0;

export function startDl(): void {
  used = 0;
  putString(GS1_ORIGIN);
}

export function mark(): i32 {
  return used;
}

/** Drops what was written after `to`: lets a qualifier be validated without being kept. */
export function rewind(to: i32): void {
  if (to >= 0 && to < used) used = to;
}

export function put(c: i32): void {
  if (used < CAPACITY) unchecked((buffer[used] = <u16>c));
  used++;
}

export function putString(s: string): void {
  for (let i = 0, n = s.length; i < n; i++) put(s.charCodeAt(i));
}

export function putRange(s: string, start: i32, end: i32): void {
  for (let i = start; i < end; i++) put(s.charCodeAt(i));
}

/** Appends the GS1 check digit of the digits written since `from`. */
export function putCheckDigit(from: i32): void {
  if (from < 0 || used > CAPACITY || from >= used) return;
  put(48 + gs1CheckDigit(changetype<usize>(buffer) + ((<usize>from) << 1), used - from));
}

/** The built string; `input` itself when it is already exactly that, to spare an allocation. */
export function finishDl(input: string): string {
  const n = used > CAPACITY ? CAPACITY : used;
  const bytes = (<usize>n) << 1;
  if (input.length == n && memory.compare(changetype<usize>(input), changetype<usize>(buffer), bytes) == 0) {
    return input;
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(buffer), bytes);
}
