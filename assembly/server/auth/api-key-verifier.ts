// Verifies presented API keys against the key file's entries as host/auth/api-keys.ts does: find
// the one entry by selector, hash, compare in constant time. Verified keys are cached by the
// SHA-256 of the key (so scrypt runs once per key and process) and wrong keys are remembered in a
// cache of their own (so a flood of made-up keys evicts only made-up keys, and a device still
// sending a revoked key costs one scrypt, not one per attempt). Unknown selectors cost no hash.
import { writeHex } from '../../hash/hex';
import { sha256 } from '../../hash/sha256';
import { ApiKeyEntry } from './api-key-file';
import { MALFORMED_API_KEY, UNKNOWN_API_KEY } from './auth-texts';
import { BoundedLru } from './bounded-lru';
import { keyMatchesHash } from './key-hash';

// api-keys.ts CACHE_CAPACITY and REJECTED_CAPACITY.
const CACHE_CAPACITY: i32 = 1024;
const REJECTED_CAPACITY: i32 = 1024;
// api-key-format.ts KEY_PATTERN: et_ + 11 selector characters + _ + 43 secret characters.
const KEY_LENGTH: i32 = 58;
const SELECTOR_START: i32 = 3;
const SELECTOR_LENGTH: i32 = 11;
const DIGEST = memory.data(32);
const DIGEST_HEX = memory.data(64);

/** What a presented key turned out to be. */
export class Verdict {
  constructor(
    /** The entry the key belongs to; null when refused. */
    public entry: ApiKeyEntry | null,
    /** Why it was refused (the 401's detail); empty when accepted. */
    public detail: string,
  ) {}
}

const UNKNOWN = new Verdict(null, UNKNOWN_API_KEY);
const MALFORMED = new Verdict(null, MALFORMED_API_KEY);

function isKeyCharacter(c: i32): bool {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x5f
  );
}

/** The selector of a well-formed `et_<selector>_<secret>` key, or null. */
function selectorOf(token: string): string | null {
  if (token.length != KEY_LENGTH || !token.startsWith('et_') || token.charCodeAt(14) != 0x5f) return null;
  for (let i = SELECTOR_START; i < KEY_LENGTH; i++) if (!isKeyCharacter(token.charCodeAt(i))) return null;
  return token.substring(SELECTOR_START, SELECTOR_START + SELECTOR_LENGTH);
}

/** Hex SHA-256 of the key: cache keys are digests, so memory holds nothing that authenticates. */
function digestOf(token: string): string {
  const bytes = String.UTF8.encode(token);
  sha256(changetype<usize>(bytes), bytes.byteLength, DIGEST);
  writeHex(DIGEST, 32, DIGEST_HEX);
  return String.UTF8.decodeUnsafe(DIGEST_HEX, 64);
}

export class ApiKeyVerifier {
  private readonly bySelector: Map<string, ApiKeyEntry> = new Map<string, ApiKeyEntry>();
  private readonly verified: BoundedLru<string, ApiKeyEntry> = new BoundedLru<string, ApiKeyEntry>(
    CACHE_CAPACITY,
  );
  private readonly rejected: BoundedLru<string, bool> = new BoundedLru<string, bool>(REJECTED_CAPACITY);

  constructor(entries: Array<ApiKeyEntry>) {
    for (let i = 0; i < entries.length; i++)
      this.bySelector.set(unchecked(entries[i]).selector, unchecked(entries[i]));
  }

  get keyCount(): i32 {
    return this.bySelector.size;
  }

  /**
   * The verdict when it costs no slow hash (malformed, cached either way, unknown selector); null
   * when only the entry's hash can tell, which verify() then computes.
   */
  quickVerdict(token: string): Verdict | null {
    const selector = selectorOf(token);
    if (selector === null) return MALFORMED;
    const digest = digestOf(token);
    const cached = this.verified.find(digest);
    if (cached !== null) return new Verdict(cached.value, '');
    if (this.rejected.find(digest) !== null) return UNKNOWN;
    // Selectors are 64 random bits; learning that one exists takes guessing it first.
    return this.bySelector.has(selector) ? null : UNKNOWN;
  }

  /** Hashes a key quickVerdict could not decide (its selector is known) and remembers the outcome. */
  verify(token: string): Verdict {
    const quick = this.quickVerdict(token);
    if (quick !== null) return quick;
    const entry = this.bySelector.get(selectorOf(token)!);
    const digest = digestOf(token);
    if (!keyMatchesHash(token, entry.hash)) {
      this.rejected.set(digest, true);
      return UNKNOWN;
    }
    this.verified.set(digest, entry);
    return new Verdict(entry, '');
  }
}
