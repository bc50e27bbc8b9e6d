// Memory accounting for the managed strings the index keeps (interned values, cached event IDs).

/** Heap bytes of a string: the object header (20) plus its UTF-16 body, in 16-byte blocks. */
export function stringBytes(s: string): usize {
  return (20 + ((<usize>s.length) << 1) + 15) & ~15;
}
