import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// How the key file stores a key: never the key, only one of
//   scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt base64url>$<derived key base64url>
//   sha256$<64 hex digits>
//
// Slow hashes exist to make guessing low-entropy secrets expensive. Our keys carry 256 random bits,
// which no amount of guessing finds, so a single SHA-256 is already safe for them; it is offered
// for small devices where scrypt's memory hurts. scrypt is the default because it still protects a
// key file that leaks with a weak hand-made key in it, and it costs us once per key and process
// (see api-keys.ts for the cache). The parameters travel in the string so they can be raised later
// without breaking existing entries.

export type HashKind = 'scrypt' | 'sha256';

export type KeyHash =
  | { readonly kind: 'sha256'; readonly digest: Buffer }
  | {
      readonly kind: 'scrypt';
      readonly logN: number;
      readonly r: number;
      readonly p: number;
      readonly salt: Buffer;
      readonly derived: Buffer;
    };

// Node's own scrypt defaults (N=2^14, r=8: 16 MiB per verification).
const DEFAULT_SCRYPT = { logN: 14, r: 8, p: 1 } as const;
// A key file is trusted config, but a typo like ln=40 must not make start-up allocate terabytes.
const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;

const SHA256_PATTERN = /^sha256\$([0-9a-f]{64})$/;
const SCRYPT_PATTERN = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export function parseKeyHash(text: string): { ok: true; hash: KeyHash } | { ok: false; problem: string } {
  const sha = SHA256_PATTERN.exec(text);
  if (sha !== null)
    return { ok: true, hash: { kind: 'sha256', digest: Buffer.from(sha[1] as string, 'hex') } };
  const m = SCRYPT_PATTERN.exec(text);
  if (m === null) {
    return { ok: false, problem: 'must be "scrypt$ln=…,r=…,p=…$<salt>$<hash>" or "sha256$<64 hex digits>"' };
  }
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] as string, 'base64url');
  const derived = Buffer.from(m[5] as string, 'base64url');
  if (logN < 1 || r < 1 || p < 1 || p > 16 || 128 * r * 2 ** logN > MAX_SCRYPT_MEMORY_BYTES) {
    return { ok: false, problem: `scrypt parameters ln=${logN},r=${r},p=${p} are out of range` };
  }
  if (salt.length < 16) return { ok: false, problem: 'scrypt salt must be at least 16 bytes' };
  if (derived.length < 16 || derived.length > 64) {
    return { ok: false, problem: 'scrypt hash must be 16 to 64 bytes' };
  }
  return { ok: true, hash: { kind: 'scrypt', logN, r, p, salt, derived } };
}

export async function hashApiKey(key: string, kind: HashKind): Promise<string> {
  if (kind === 'sha256') return `sha256$${sha256(key).toString('hex')}`;
  const { logN, r, p } = DEFAULT_SCRYPT;
  const salt = randomBytes(16);
  const derived = await scryptAsync(key, salt, 32, logN, r, p);
  return `scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64url')}$${derived.toString('base64url')}`;
}

/** Compares in constant time; the lengths compared first come from the file, not the request. */
export async function keyMatchesHash(key: string, hash: KeyHash): Promise<boolean> {
  const expected = hash.kind === 'sha256' ? hash.digest : hash.derived;
  const actual =
    hash.kind === 'sha256'
      ? sha256(key)
      : await scryptAsync(key, hash.salt, hash.derived.length, hash.logN, hash.r, hash.p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function scryptAsync(
  key: string,
  salt: Buffer,
  length: number,
  logN: number,
  r: number,
  p: number,
): Promise<Buffer> {
  const N = 2 ** logN;
  // Node refuses anything above 32 MiB unless told; allow what the parameters need, with slack.
  const maxmem = 2 * 128 * r * (N + p);
  return new Promise((resolve, reject) => {
    scrypt(key, salt, length, { N, r, p, maxmem }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
}
