// String helpers for the pre-hash, matching the reference generator's Python behaviour: sorting by
// code point (Python compares str by code point; AssemblyScript's `<` compares UTF-16 units, which
// disagree for characters above U+FFFF) and str.strip()'s notion of whitespace.

/** Code point order: -1, 0 or 1. */
export function compareCodePoints(a: string, b: string): i32 {
  const pa = changetype<usize>(a);
  const pb = changetype<usize>(b);
  const la = a.length;
  const lb = b.length;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    let ca = <i32>load<u16>(pa + ((<usize>i) << 1));
    let cb = <i32>load<u16>(pb + ((<usize>i) << 1));
    if (ca == cb) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF, so they sort after U+E000–FFFF.
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca < cb ? -1 : 1;
  }
  return la == lb ? 0 : la < lb ? -1 : 1;
}

/** Sorts in place by code point and concatenates with no separator. */
export function joinSorted(parts: Array<string>): string {
  if (parts.length > 1) parts.sort(compareCodePoints);
  return parts.join('');
}

/** Python's str.isspace() for one UTF-16 unit (all such characters are in the BMP). */
function isPythonSpace(c: i32): bool {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c == 0x85 ||
    c == 0xa0 ||
    c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 ||
    c == 0x2029 ||
    c == 0x202f ||
    c == 0x205f ||
    c == 0x3000
  );
}

/** Python's str.strip(): the reference generator strips every value before canonicalising it. */
export function pythonStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPythonSpace(s.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(s.charCodeAt(end - 1))) end--;
  return start == 0 && end == s.length ? s : s.substring(start, end);
}

/** a + b + c + d.substring(from), in one allocation (`+` would allocate once per operator). */
export function concat4(a: string, b: string, c: string, d: string, from: i32 = 0): string {
  const la = (<usize>a.length) << 1;
  const lb = (<usize>b.length) << 1;
  const lc = (<usize>c.length) << 1;
  const start = from < 0 ? 0 : from > d.length ? d.length : from;
  const ld = (<usize>(d.length - start)) << 1;
  const out = __new(la + lb + lc + ld, idof<string>());
  memory.copy(out, changetype<usize>(a), la);
  memory.copy(out + la, changetype<usize>(b), lb);
  memory.copy(out + la + lb, changetype<usize>(c), lc);
  memory.copy(out + la + lb + lc, changetype<usize>(d) + ((<usize>start) << 1), ld);
  return changetype<string>(out);
}
