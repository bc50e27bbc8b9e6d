// Hashes for the open-addressing tables. Keys are hashed straight from their UTF-16 code units,
// four at a time, so looking up a string allocates nothing; digests are already uniform but are
// mixed anyway so that test or hostile digests sharing a prefix do not cluster.

function fmix(h: u64): u32 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return <u32>h;
}

/** Hash of `length` UTF-16 code units at `chars`. */
export function hashChars(chars: usize, length: usize, seed: u64): u32 {
  let h = seed ^ (<u64>length * 0x9e3779b97f4a7c15);
  let p = chars;
  const quads = chars + ((length >> 2) << 3);
  while (p < quads) {
    h = (h ^ load<u64>(p)) * 0xbf58476d1ce4e5b9;
    h ^= h >> 29;
    p += 8;
  }
  const end = chars + (length << 1);
  while (p < end) {
    h = (h ^ (<u64>load<u16>(p))) * 0x94d049bb133111eb;
    h ^= h >> 31;
    p += 2;
  }
  return fmix(h);
}

/** Hash of a 32-byte digest. */
export function hashDigest(digest: usize): u32 {
  return fmix(
    load<u64>(digest) ^
      rotl<u64>(load<u64>(digest, 8), 17) ^
      rotl<u64>(load<u64>(digest, 16), 31) ^
      rotl<u64>(load<u64>(digest, 24), 47),
  );
}
