// Questions about a range of a string, answered without taking substrings (each substring would be
// an allocation on the per-EPC path). Out-of-range bounds give a false/empty answer, never a trap.
import { isDigit } from './ai-chars';

/** True when `s[start..end)` equals `literal`. */
export function rangeEquals(s: string, start: i32, end: i32, literal: string): bool {
  const n = literal.length;
  if (end - start != n || start < 0 || end > s.length) return false;
  for (let i = 0; i < n; i++) if (s.charCodeAt(start + i) != literal.charCodeAt(i)) return false;
  return true;
}

/** True when `s[start..end)` is non-empty and all ASCII digits. */
export function allDigits(s: string, start: i32, end: i32): bool {
  if (start < 0 || end > s.length || start >= end) return false;
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Number of ASCII digits at the start of `s[start..end)`. */
export function leadingDigits(s: string, start: i32, end: i32): i32 {
  let i = start;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  return i - start;
}

/** Index of `c` in `s[start..end)`, or -1. */
export function indexIn(s: string, c: i32, start: i32, end: i32): i32 {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) == c) return i;
  return -1;
}

/** Index of the last `c` in `s[start..end)`, or -1. */
export function lastIndexIn(s: string, c: i32, start: i32, end: i32): i32 {
  for (let i = end - 1; i >= start; i--) if (s.charCodeAt(i) == c) return i;
  return -1;
}

/** True when `s` starts with the lower-case ASCII `prefix`, ignoring the case of letters in `s`. */
export function startsWithIgnoreCase(s: string, prefix: string): bool {
  const n = prefix.length;
  if (s.length < n) return false;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c != prefix.charCodeAt(i)) return false;
  }
  return true;
}
