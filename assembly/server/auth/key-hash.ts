// The hash an API key file entry stores (host/auth/api-key-hash.ts): `sha256$<64 hex digits>` or
// `scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt base64url>$<derived key base64url>`, parsed with the
// same patterns, limits and problem texts, and checked against a presented key in constant time.
import { sha256 } from '../../hash/sha256';
import { scrypt } from '../../hash/scrypt';
import { base64UrlToBytes, hexToBytes } from './key-bytes';

// api-key-hash.ts MAX_SCRYPT_MEMORY_BYTES: a typo like ln=40 must not allocate terabytes.
const MAX_SCRYPT_MEMORY_BYTES: f64 = 256 * 1024 * 1024;
const SHA256_PREFIX = 'sha256$';
const SCRYPT_PREFIX = 'scrypt$';

export class KeyHash {
  isScrypt: bool = false;
  logN: i32 = 0;
  r: i32 = 0;
  p: i32 = 0;
  salt: StaticArray<u8> = new StaticArray<u8>(0);
  /** The SHA-256 digest or the scrypt derived key: what a presented key must hash to. */
  expected: StaticArray<u8> = new StaticArray<u8>(0);
  /** Set instead of the fields when the text is not a usable hash (api-key-hash.ts wording). */
  problem: string | null = null;
}

function isDigits(text: string, min: i32, max: i32): bool {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function isBase64Url(text: string): bool {
  if (text.length == 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c == 0x2d || c == 0x5f;
    if (!ok) return false;
  }
  return true;
}

function isLowerHex64(text: string): bool {
  if (text.length != 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** `name=<1-2 digits>` → the number, or -1. */
function parameter(text: string, name: string): i32 {
  if (!text.startsWith(name + '=')) return -1;
  const digits = text.substring(name.length + 1);
  return isDigits(digits, 1, 2) ? I32.parseInt(digits) : -1;
}

function refused(problem: string): KeyHash {
  const hash = new KeyHash();
  hash.problem = problem;
  return hash;
}

export function parseKeyHash(text: string): KeyHash {
  if (text.startsWith(SHA256_PREFIX) && isLowerHex64(text.substring(SHA256_PREFIX.length))) {
    const hash = new KeyHash();
    hash.expected = hexToBytes(text.substring(SHA256_PREFIX.length))!;
    return hash;
  }
  const shape = 'must be "scrypt$ln=…,r=…,p=…$<salt>$<hash>" or "sha256$<64 hex digits>"';
  if (!text.startsWith(SCRYPT_PREFIX)) return refused(shape);
  const parts = text.substring(SCRYPT_PREFIX.length).split('$');
  if (parts.length != 3) return refused(shape);
  const costs = parts[0].split(',');
  if (costs.length != 3 || !isBase64Url(parts[1]) || !isBase64Url(parts[2])) return refused(shape);
  const logN = parameter(costs[0], 'ln');
  const r = parameter(costs[1], 'r');
  const p = parameter(costs[2], 'p');
  if (logN < 0 || r < 0 || p < 0) return refused(shape);
  if (logN < 1 || r < 1 || p < 1 || p > 16 || 128.0 * <f64>r * Math.pow(2, logN) > MAX_SCRYPT_MEMORY_BYTES) {
    return refused(
      'scrypt parameters ln=' +
        logN.toString() +
        ',r=' +
        r.toString() +
        ',p=' +
        p.toString() +
        ' are out of range',
    );
  }
  const hash = new KeyHash();
  hash.isScrypt = true;
  hash.logN = logN;
  hash.r = r;
  hash.p = p;
  hash.salt = base64UrlToBytes(parts[1])!;
  hash.expected = base64UrlToBytes(parts[2])!;
  if (hash.salt.length < 16) return refused('scrypt salt must be at least 16 bytes');
  if (hash.expected.length < 16 || hash.expected.length > 64)
    return refused('scrypt hash must be 16 to 64 bytes');
  return hash;
}

/**
 * Whether `key` hashes to the entry's hash, compared in constant time (the length compared first
 * comes from the file, not the request). A `scrypt$` entry costs one full derivation here.
 */
export function keyMatchesHash(key: string, hash: KeyHash): bool {
  const bytes = String.UTF8.encode(key);
  const expected = hash.expected;
  const actual = new StaticArray<u8>(hash.isScrypt ? expected.length : 32);
  if (hash.isScrypt) {
    scrypt(
      changetype<usize>(bytes),
      bytes.byteLength,
      changetype<usize>(hash.salt),
      hash.salt.length,
      hash.logN,
      hash.r,
      hash.p,
      changetype<usize>(actual),
      actual.length,
    );
  } else {
    sha256(changetype<usize>(bytes), bytes.byteLength, changetype<usize>(actual));
  }
  if (actual.length != expected.length) return false;
  let difference: u32 = 0;
  for (let i = 0; i < actual.length; i++) difference |= <u32>(unchecked(actual[i]) ^ unchecked(expected[i]));
  return difference == 0;
}
