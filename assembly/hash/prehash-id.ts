// The CBV 2.0 event hash ID: an RFC 6920 `ni` URI over SHA-256, with the CBV version the pre-hash
// follows. Stored IDs keep `?ver=` so a later CBV 2.1 profile can coexist (EPCIS.md §1.8).

import { widenAscii } from '../json/ascii-string';
import { writeHex } from './hex';

export const CBV20_HASH_SUFFIX = '?ver=CBV2.0';
const NI_PREFIX = 'ni:///sha-256;';
// The 64 hex digits of the digest being formatted. unmanaged!
const HEX: usize = memory.data(64);

/**
 * `ni:///sha-256;<64 lower-case hex>?ver=CBV2.0` for the 32-byte SHA-256 digest of a pre-hash at
 * `digest`, built in one allocation (hex decoding and two concatenations made three per event).
 */
export function hashIdFromDigest(digest: usize): string {
  const prefix = <usize>NI_PREFIX.length;
  const suffix = <usize>CBV20_HASH_SUFFIX.length;
  const out = __new((prefix + 64 + suffix) << 1, idof<string>());
  memory.copy(out, changetype<usize>(NI_PREFIX), prefix << 1);
  writeHex(digest, 32, HEX);
  widenAscii(out + (prefix << 1), HEX, 64);
  memory.copy(out + ((prefix + 64) << 1), changetype<usize>(CBV20_HASH_SUFFIX), suffix << 1);
  return changetype<string>(out);
}
