import { randomBytes } from 'node:crypto';

// An API key is `et_<selector>_<secret>`: 8 random bytes then 32 random bytes, both base64url
// without padding (11 and 43 characters). The fixed lengths make the `_` separators unambiguous
// even though base64url itself uses `_`.
//
// The selector is not secret; the key file stores it next to the hash. It lets the verifier find
// the one entry a key could belong to, so an unauthenticated request costs at most one scrypt
// rather than one per configured key (which would let anyone burn the edge box's CPU with
// made-up keys). The secret alone carries the 256 bits that make guessing hopeless.

export const API_KEY_PREFIX = 'et_';

const SELECTOR_BYTES = 8;
const SECRET_BYTES = 32;
const KEY_PATTERN = /^et_([A-Za-z0-9_-]{11})_([A-Za-z0-9_-]{43})$/;
const SELECTOR_PATTERN = /^[A-Za-z0-9_-]{11}$/;

export interface ApiKeyParts {
  readonly selector: string;
}

/** A fresh key and its selector; the key is shown to the operator once and never stored. */
export function generateApiKey(): { key: string; selector: string } {
  const selector = randomBytes(SELECTOR_BYTES).toString('base64url');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { key: `${API_KEY_PREFIX}${selector}_${secret}`, selector };
}

/** The selector of a well-formed key, or null for anything that is not one of our keys. */
export function parseApiKey(token: string): ApiKeyParts | null {
  const match = KEY_PATTERN.exec(token);
  return match === null ? null : { selector: match[1] as string };
}

export function isSelector(value: unknown): value is string {
  return typeof value === 'string' && SELECTOR_PATTERN.test(value);
}
