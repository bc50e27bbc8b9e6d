import { readApiKeyFile, type ApiKeyEntry } from './api-key-file.js';
import { parseApiKey } from './api-key-format.js';
import { keyMatchesHash, sha256 } from './api-key-hash.js';
import type { TokenVerdict } from './principal.js';
import { VerificationCache } from './verification-cache.js';

export interface ApiKeyVerifier {
  /** How many keys the file configured; for the start-up log. */
  readonly keyCount: number;
  verify(token: string): Promise<TokenVerdict>;
}

// Enough for every scanner of a large site; each entry is a 64-character digest and a reference.
const CACHE_CAPACITY = 1024;

/** Reads and checks the key file once; throws AuthConfigError if it cannot be used. */
export async function loadApiKeys(file: string): Promise<ApiKeyVerifier> {
  return createApiKeyVerifier(await readApiKeyFile(file));
}

export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): ApiKeyVerifier {
  const bySelector = new Map(entries.map((entry) => [entry.selector, entry]));
  const verified = new VerificationCache<ApiKeyEntry>(CACHE_CAPACITY);
  return {
    keyCount: entries.length,
    async verify(token) {
      const parts = parseApiKey(token);
      if (parts === null) return { ok: false, detail: 'the API key is malformed' };
      // A Map lookup is not constant-time, but its input is a digest an attacker cannot steer
      // towards a cached one, so timing reveals nothing about the keys.
      const digest = sha256(token).toString('hex');
      const cached = verified.get(digest);
      if (cached !== undefined) return accept(cached);
      const entry = bySelector.get(parts.selector);
      // Selectors are 64 random bits; learning that one exists takes guessing it first.
      if (entry === undefined || !(await keyMatchesHash(token, entry.hash))) {
        return { ok: false, detail: 'the API key is not known' };
      }
      verified.set(digest, entry);
      return accept(entry);
    },
  };
}

function accept(entry: ApiKeyEntry): TokenVerdict {
  return { ok: true, principal: { id: entry.id, scopes: entry.scopes, kind: 'api-key' } };
}
