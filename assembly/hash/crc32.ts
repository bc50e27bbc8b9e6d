// CRC-32 (IEEE 802.3, zlib's polynomial 0xEDB88320) of the journal records and the state snapshots.
// Chosen over CRC32C because the sidecar that reads the journal and writes the snapshots is Node,
// whose zlib.crc32 computes exactly this natively; and over the core's SHA-256 because these
// checksums have to catch torn and garbled writes, not forgery.
//
// Slicing-by-8 (eight 256-entry tables, 8 KiB): a snapshot of a million EPCs is over 100 MB, checked
// before the server opens its port; one table lookup per byte ran at about 0.4 GB/s in AOT code,
// eight bytes per step at several times that.
const TABLES = new StaticArray<u32>(8 * 256);
let ready = false;

function fillTables(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    unchecked((TABLES[n] = c));
  }
  for (let n: u32 = 0; n < 256; n++) {
    let c = unchecked(TABLES[n]);
    for (let t: u32 = 1; t < 8; t++) {
      c = unchecked(TABLES[c & 0xff]) ^ (c >>> 8);
      unchecked((TABLES[(t << 8) + n] = c));
    }
  }
  ready = true;
}

function at(table: u32, byte: u32): u32 {
  return unchecked(TABLES[(table << 8) + (byte & 0xff)]);
}

/** Continues `crc` (0 to start) over `len` bytes at `ptr`. */
export function crc32(crc: u32, ptr: usize, len: usize): u32 {
  if (!ready) fillTables();
  let c = ~crc;
  const end = ptr + len;
  const words = ptr + (len & ~(<usize>7));
  while (ptr < words) {
    const lo = load<u32>(ptr) ^ c;
    const hi = load<u32>(ptr, 4);
    c =
      at(7, lo) ^
      at(6, lo >>> 8) ^
      at(5, lo >>> 16) ^
      at(4, lo >>> 24) ^
      at(3, hi) ^
      at(2, hi >>> 8) ^
      at(1, hi >>> 16) ^
      at(0, hi >>> 24);
    ptr += 8;
  }
  while (ptr < end) {
    c = at(0, c ^ load<u8>(ptr)) ^ (c >>> 8);
    ptr++;
  }
  return ~c;
}
