// Splits an http(s) URL into what a Digital Link parser needs: the host (to recognise GS1's own
// resolvers) and the last path segments, which hold the key. Only a bounded number of segments is
// looked at, so a megabyte of slashes costs one scan and nothing more.

// Enough for four qualifier pairs, the primary-key pair and the pair before it (checked for gs1/EPCIS#192).
export const MAX_SEGMENTS = 12;
const segStarts = new StaticArray<i32>(MAX_SEGMENTS);
const segEnds = new StaticArray<i32>(MAX_SEGMENTS);

/** Start of segment `i`, counted from the last one (0). */
export function segStart(i: i32): i32 {
  return unchecked(segStarts[<u32>i < <u32>MAX_SEGMENTS ? i : 0]);
}

export function segEnd(i: i32): i32 {
  return unchecked(segEnds[<u32>i < <u32>MAX_SEGMENTS ? i : 0]);
}

/** Index of the `/`, `?` or `#` that ends the authority starting at `authority` (or the length). */
export function authorityEnd(s: string, authority: i32): i32 {
  let i = authority;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c == 47 || c == 63 || c == 35) break;
    i++;
  }
  return i;
}

/** End of the path starting at `pathStart`: before the query or fragment, and before one trailing `/`. */
export function pathEnd(s: string, pathStart: i32): i32 {
  let end = pathStart;
  while (end < s.length && s.charCodeAt(end) != 63 && s.charCodeAt(end) != 35) end++;
  if (end - pathStart > 1 && s.charCodeAt(end - 1) == 47) end--;
  return end;
}

/** Stores up to MAX_SEGMENTS path segments, last segment first; returns how many. */
export function collectSegments(s: string, pathStart: i32, end: i32): i32 {
  let count = 0;
  while (count < MAX_SEGMENTS && end > pathStart) {
    let slash = end - 1;
    while (slash > pathStart && s.charCodeAt(slash) != 47) slash--;
    unchecked((segStarts[count] = slash + 1));
    unchecked((segEnds[count] = end));
    count++;
    end = slash;
  }
  return count;
}

/** True for GS1's resolvers (id.gs1.org and the member organisations' id.gs1.xx), where any path is meant as a key. */
export function isGs1Resolver(s: string, authority: i32, end: i32): bool {
  let host = authority;
  for (let i = authority; i < end; i++) if (s.charCodeAt(i) == 64) host = i + 1;
  const prefix = 'id.gs1.';
  if (end - host <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if ((s.charCodeAt(host + i) | 0x20) != prefix.charCodeAt(i)) return false;
  }
  return true;
}
