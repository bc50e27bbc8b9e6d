// CRC-32 (IEEE 802.3, zlib's polynomial 0xEDB88320) of the journal records. Chosen over CRC32C
// because the sidecar that tails the journal is Node, whose zlib.crc32 computes exactly this
// natively; and over the core's SHA-256 because a record checksum has to catch torn and garbled
// writes, not forgery, and costs a table lookup per byte instead of a hash block per 64 bytes.
const TABLE = new StaticArray<u32>(256);
let ready = false;

function fillTable(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    unchecked((TABLE[n] = c));
  }
  ready = true;
}

/** Continues `crc` (0 to start) over `len` bytes at `ptr`. */
export function crc32(crc: u32, ptr: usize, len: usize): u32 {
  if (!ready) fillTable();
  let c = ~crc;
  for (let i: usize = 0; i < len; i++) {
    c = unchecked(TABLE[(c ^ load<u8>(ptr + i)) & 0xff]) ^ (c >>> 8);
  }
  return ~c;
}
