// Decodes a path segment as fastify decodes route parameters (decodeURIComponent): %XX escapes
// become bytes, read as UTF-8. Null for a malformed escape: such a request is left to the sidecar,
// which answers it as the Node service does.
function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

export function percentDecode(segment: string): string | null {
  if (!segment.includes('%')) return segment;
  const bytes = String.UTF8.encode(segment);
  const src = changetype<usize>(bytes);
  const n = bytes.byteLength;
  const out = new Uint8Array(n);
  let len = 0;
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(src + <usize>i);
    if (c != 0x25) {
      out[len++] = <u8>c;
      continue;
    }
    if (i + 2 >= n) return null;
    const hi = hexValue(load<u8>(src + <usize>i + 1));
    const lo = hexValue(load<u8>(src + <usize>i + 2));
    if (hi < 0 || lo < 0) return null;
    out[len++] = <u8>((hi << 4) | lo);
    i += 2;
  }
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>len);
}
