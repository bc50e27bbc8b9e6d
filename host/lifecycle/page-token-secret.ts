// The HMAC key that signs nextPageTokens. It lives in the data directory so tokens stay valid
// across restarts; created on first start with 32 random bytes, readable by the service user only.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'page-token.key';

export function loadOrCreatePageTokenSecret(dataDir: string): Uint8Array {
  const path = join(dataDir, FILE);
  if (existsSync(path)) {
    const secret = readFileSync(path);
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}
