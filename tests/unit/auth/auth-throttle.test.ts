// Failed authentications counted per client address: a client guessing secrets for a known key
// selector (a full scrypt each) is refused with 429 before its guesses are verified, while other
// addresses, keys verified before and a scanner's first burst with a new key keep working.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, type Authenticator } from '../../../host/auth/authenticate.js';
import { FailedAuthLimiter } from '../../../host/auth/failed-auth-limiter.js';
import type { AuthResult } from '../../../host/auth/principal.js';
import {
  type AccessFiles,
  bearer,
  signingKey,
  signToken,
  writeAccessFiles,
} from './helpers/auth-fixtures.js';

const LIMIT = 3;
let files: AccessFiles;
let keys: Record<string, string>;

beforeAll(async () => {
  files = await writeAccessFiles([
    { id: 'dock', scopes: ['capture'] },
    { id: 'dashboard', scopes: ['query'] },
  ]);
  keys = files.keys;
});
afterAll(() => files.folder.cleanup());

/** A fresh authenticator (empty verification cache) and limiter per test. */
async function fresh(): Promise<{ auth: Authenticator; limiter: FailedAuthLimiter }> {
  const auth = (await createAuthenticator(files.config)) as Authenticator;
  return { auth, limiter: new FailedAuthLimiter({ maxFailures: LIMIT, windowMs: 60_000 }) };
}

/** The key of `id` with its secret replaced: the selector is known, so only a scrypt can refuse it. */
const wrongSecret = (id: string) => `${keys[id]!.slice(0, -43)}${randomBytes(32).toString('base64url')}`;

const statuses = (results: AuthResult[]) => results.map((result) => (result.ok ? 200 : result.status));

describe('authenticate with a failed-authentication throttle', () => {
  it('refuses a client past its limit with 429 and Retry-After, even with a valid key it never used', async () => {
    const { auth, limiter } = await fresh();
    const client = { client: '10.0.0.7', limiter };
    for (let i = 0; i < LIMIT; i++) {
      expect((await auth.authenticate(bearer(wrongSecret('dock')), client)).ok).toBe(false);
    }

    const refused = await auth.authenticate(bearer(keys['dashboard']!), client);

    expect(refused).toMatchObject({ ok: false, status: 429 });
    // The rest of the 60 s window that began with the first failure (scrypts take a while).
    expect(refused.ok ? 0 : refused.retryAfterS).toBeGreaterThan(50);
    expect(refused.ok ? 0 : refused.retryAfterS).toBeLessThanOrEqual(60);
  });

  it('still accepts a key the client had used successfully, and other addresses', async () => {
    const { auth, limiter } = await fresh();
    const client = { client: '10.0.0.7', limiter };
    expect((await auth.authenticate(bearer(keys['dock']!), client)).ok).toBe(true);
    for (let i = 0; i < LIMIT; i++) await auth.authenticate(bearer(wrongSecret('dock')), client);

    expect((await auth.authenticate(bearer(keys['dock']!), client)).ok).toBe(true);
    const other = await auth.authenticate(bearer(keys['dashboard']!), { client: '10.0.0.8', limiter });
    expect(other.ok).toBe(true);
  });

  it('verifies only the limit of guesses sent all at once and refuses the rest with 429', async () => {
    const { auth, limiter } = await fresh();
    const client = { client: '10.0.0.7', limiter };

    const results = await Promise.all(
      Array.from({ length: 20 }, () => auth.authenticate(bearer(wrongSecret('dock')), client)),
    );

    expect(statuses(results).filter((status) => status === 401)).toHaveLength(LIMIT);
    expect(statuses(results).filter((status) => status === 429)).toHaveLength(20 - LIMIT);
  });

  it("verifies a scanner's first burst with a new key once, without throttling it", async () => {
    const { auth, limiter } = await fresh();
    const client = { client: '10.0.0.7', limiter };

    const results = await Promise.all(
      Array.from({ length: 10 }, () => auth.authenticate(bearer(keys['dock']!), client)),
    );

    expect(statuses(results)).toEqual(Array(10).fill(200));
    expect(limiter.trackedClients).toBe(0);
  });

  it('counts malformed tokens and forged JWTs like wrong secrets, but not a missing header', async () => {
    const { auth, limiter } = await fresh();
    const client = { client: '10.0.0.7', limiter };
    const stranger = await signingKey('ES256', 'idp-1');
    for (let i = 0; i < 5; i++) expect((await auth.authenticate(undefined, client)).ok).toBe(false);
    expect(limiter.retryAfterS('10.0.0.7')).toBeNull();

    await auth.authenticate('Basic dXNlcjpwYXNz', client);
    await auth.authenticate(bearer(await signToken(stranger)), client);
    await auth.authenticate(bearer('et_nope'), client);

    expect(await auth.authenticate(bearer(wrongSecret('dock')), client)).toMatchObject({ status: 429 });
  });
});
