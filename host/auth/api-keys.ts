import pLimit from 'p-limit';
import { readApiKeyFile, type ApiKeyEntry } from './api-key-file.js';
import { parseApiKey } from './api-key-format.js';
import { keyMatchesHash, sha256 } from './api-key-hash.js';
import type { TokenVerdict } from './principal.js';
import { VerificationCache } from './verification-cache.js';

export interface ApiKeyVerifier {
  /** How many keys the file configured; for the start-up log. */
  readonly keyCount: number;
  /**
   * The verdict when it costs no slow hash: a malformed key, an unknown selector, or a key verified
   * or refused before (cached). Null when only the key's hash can tell; verify() then computes it.
   */
  quickVerdict(token: string): TokenVerdict | null;
  verify(token: string): Promise<TokenVerdict>;
}

// Enough for every scanner of a large site; each entry is a 64-character digest and a reference.
const CACHE_CAPACITY = 1024;
// Wrong keys seen lately, in a cache of their own so that a flood of made-up keys only evicts other
// made-up keys, never a valid one. It is for the device still sending a rotated or revoked key:
// behind AUTH_FAILURE_LIMIT each of its addresses would otherwise cost a scrypt (~40 ms of CPU,
// 16 MiB) per attempt up to the limit, every window. Remembering a refusal is safe: a verifier's
// keys never change (the key file is read once), so a wrong key stays wrong.
const REJECTED_CAPACITY = 1024;
// scrypt runs on libuv's thread pool (4 threads). Four at once take both cores of an edge box and
// starve the event loop: measured with 20 wrong secrets in flight, GET /health took 575 ms. One at
// a time leaves a core to the requests; a key is checked once per process, so the wait is rare.
const HASH_CONCURRENCY = 1;

/** Reads and checks the key file once; throws AuthConfigError if it cannot be used. */
export async function loadApiKeys(file: string): Promise<ApiKeyVerifier> {
  return createApiKeyVerifier(await readApiKeyFile(file));
}

export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): ApiKeyVerifier {
  const bySelector = new Map(entries.map((entry) => [entry.selector, entry]));
  const verified = new VerificationCache<ApiKeyEntry>(CACHE_CAPACITY);
  const rejected = new VerificationCache<true>(REJECTED_CAPACITY);
  const hashing = pLimit(HASH_CONCURRENCY);
  const quickVerdict = (token: string): TokenVerdict | null => {
    const parts = parseApiKey(token);
    if (parts === null) return { ok: false, detail: 'the API key is malformed' };
    // A Map lookup is not constant-time, but its input is a digest an attacker cannot steer
    // towards a cached one, so timing reveals nothing about the keys.
    const digest = sha256(token).toString('hex');
    const cached = verified.get(digest);
    if (cached !== undefined) return accept(cached);
    if (rejected.get(digest) === true) return UNKNOWN;
    // Selectors are 64 random bits; learning that one exists takes guessing it first.
    return bySelector.has(parts.selector) ? null : UNKNOWN;
  };
  return {
    keyCount: entries.length,
    quickVerdict,
    async verify(token) {
      const quick = quickVerdict(token);
      if (quick !== null) return quick;
      const entry = bySelector.get(parseApiKey(token)?.selector ?? '');
      const digest = sha256(token).toString('hex');
      if (entry === undefined || !(await hashing(() => keyMatchesHash(token, entry.hash)))) {
        rejected.set(digest, true);
        return UNKNOWN;
      }
      verified.set(digest, entry);
      return accept(entry);
    },
  };
}

const UNKNOWN: TokenVerdict = { ok: false, detail: 'the API key is not known' };

function accept(entry: ApiKeyEntry): TokenVerdict {
  return { ok: true, principal: { id: entry.id, scopes: entry.scopes, kind: 'api-key' } };
}
