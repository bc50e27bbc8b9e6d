// The CBV 2.0 event hash ID: an RFC 6920 `ni` URI over SHA-256, with the CBV version the pre-hash
// follows. Stored IDs keep `?ver=` so a later CBV 2.1 profile can coexist (EPCIS.md §1.8).

export const CBV20_HASH_SUFFIX = '?ver=CBV2.0';

/** `ni:///sha-256;<64 hex>?ver=CBV2.0` for the lower-case hex SHA-256 digest of a pre-hash. */
export function hashIdFromDigestHex(hex: string): string {
  return 'ni:///sha-256;' + hex + CBV20_HASH_SUFFIX;
}
