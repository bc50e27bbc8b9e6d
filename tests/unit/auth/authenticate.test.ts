import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createAuthenticator, requireScope, type Authenticator } from '../../../host/auth/authenticate.js';
import type { AuthResult, Principal } from '../../../host/auth/principal.js';
import {
  AUDIENCE,
  bearer,
  ISSUER,
  signingKey,
  signToken,
  tempFolder,
  writeJson,
  writeKeyFile,
  type SigningKey,
} from './helpers/auth-fixtures.js';

const CHALLENGE = /^Bearer realm="edgetrace", error="invalid_token", error_description="[^"\\]+"$/;

function expectInvalid(result: AuthResult, detail: string | RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.status).toBe(401);
  expect(result.detail).toMatch(detail);
  expect(result.wwwAuthenticate).toMatch(CHALLENGE);
}

function principalOf(result: AuthResult): Principal {
  if (!result.ok) throw new Error(`expected success, got ${result.status} ${result.detail}`);
  return result.principal;
}

describe('createAuthenticator', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let idp: SigningKey;
  let stranger: SigningKey;
  let rsa: SigningKey;
  let keys: Record<string, string>;
  let both: Authenticator;
  let jwtOnly: Authenticator;
  let keysOnly: Authenticator;

  beforeAll(async () => {
    folder = await tempFolder();
    idp = await signingKey('ES256', 'idp-1');
    stranger = await signingKey('ES256', 'idp-1');
    rsa = await signingKey('RS256', 'idp-2');
    const jwksFile = await writeJson(folder.path('jwks.json'), {
      // As copied from an identity provider: a key for encryption rides along and is ignored.
      keys: [idp.publicJwk, rsa.publicJwk, { ...rsa.publicJwk, kid: 'enc', use: 'enc', alg: 'RSA-OAEP' }],
    });
    const keyFile = await writeKeyFile(folder.path('keys.json'), [
      { id: 'dock', scopes: ['capture'] },
      { id: 'ops', scopes: ['admin'], hash: 'sha256' },
    ]);
    keys = keyFile.keys;
    const jwks = { file: jwksFile, issuer: ISSUER, audience: AUDIENCE };
    both = (await createAuthenticator({ apiKeyFile: keyFile.file, jwks })) as Authenticator;
    jwtOnly = (await createAuthenticator({ jwks: { ...jwks, scopeClaim: 'scp' } })) as Authenticator;
    keysOnly = (await createAuthenticator({ apiKeyFile: keyFile.file })) as Authenticator;
  });
  afterAll(() => folder.cleanup());

  describe('the Authorization header', () => {
    it('answers a missing header with a bare challenge and no error code (RFC 6750 §3.1)', async () => {
      for (const header of [undefined, '', '  ']) {
        expect(await both.authenticate(header)).toEqual({
          ok: false,
          status: 401,
          detail: 'this endpoint requires an Authorization: Bearer token',
          wwwAuthenticate: 'Bearer realm="edgetrace"',
        });
      }
    });

    it.each(['Basic ZG9jazpwdw==', 'Bearer', 'Bearer two tokens', 'Bearer "quoted"', 'Token et_x'])(
      'rejects the malformed header %j as invalid_token',
      async (header) => {
        expectInvalid(await both.authenticate(header), 'the Authorization header must be "Bearer <token>"');
      },
    );

    it('accepts the scheme name in any case', async () => {
      expect(principalOf(await both.authenticate(`bEaReR ${keys['dock']}`)).id).toBe('dock');
    });

    it('answers any other header with a 401 whose challenge stays a valid quoted string', async () => {
      const header = fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.string().map((text) => `Bearer ${text}`),
        fc.stringMatching(/^et_[A-Za-z0-9_-]{11}_[A-Za-z0-9_-]{43}$/).map((key) => `Bearer ${key}`),
        fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `Bearer eyJ${a}.${b}.x`),
      );
      await fc.assert(
        fc.asyncProperty(header, async (value) => {
          const result = await both.authenticate(value);
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.status).toBe(401);
            expect(result.wwwAuthenticate).toMatch(
              /^Bearer realm="edgetrace"(, error="invalid_token", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]+")?$/,
            );
          }
        }),
        { numRuns: 300 },
      );
    });

    it('rejects tokens that are neither keys nor JWTs, and over-long ones', async () => {
      expectInvalid(await both.authenticate('Bearer abc'), 'the token is neither an API key nor a JWT');
      expectInvalid(await both.authenticate(`Bearer ey${'A'.repeat(9000)}.a.b`), 'the token is too long');
    });
  });

  describe('API keys', () => {
    it('authenticates a configured key as its id with its scopes', async () => {
      expect(principalOf(await both.authenticate(bearer(keys['dock'] as string)))).toEqual({
        id: 'dock',
        kind: 'api-key',
        scopes: new Set(['capture']),
      });
    });

    it('rejects an unknown key', async () => {
      const key = keys['dock'] as string;
      expectInvalid(await both.authenticate(bearer(`${key.slice(0, -4)}AAAA`)), 'the API key is not known');
    });

    it('rejects API keys when only a JWKS is configured', async () => {
      expectInvalid(
        await jwtOnly.authenticate(bearer(keys['dock'] as string)),
        'API keys are not accepted by this service',
      );
    });
  });

  describe('JWTs', () => {
    it('authenticates a valid token as its subject with the scopes it names', async () => {
      const principal = principalOf(
        await both.authenticate(bearer(await signToken(idp, { scope: 'query capture openid' }))),
      );
      expect(principal).toEqual({ id: 'scanner-7', kind: 'jwt', scopes: new Set(['query', 'capture']) });
    });

    it('accepts RSA-signed tokens from the same JWKS', async () => {
      expect(principalOf(await both.authenticate(bearer(await signToken(rsa)))).id).toBe('scanner-7');
    });

    it('reads an array scope claim', async () => {
      const token = await signToken(idp, { scope: undefined, scp: ['query', 'admin', 'profile'] });
      expect(principalOf(await jwtOnly.authenticate(bearer(token))).scopes).toEqual(
        new Set(['query', 'admin']),
      );
    });

    it('authenticates a token without the scope claim but grants it nothing', async () => {
      const token = await signToken(idp, { scope: undefined });
      expect(principalOf(await both.authenticate(bearer(token))).scopes.size).toBe(0);
    });

    it('rejects a scope claim that is neither a string nor a list', async () => {
      expectInvalid(
        await both.authenticate(bearer(await signToken(idp, { scope: 7 }))),
        /scope claim is neither/,
      );
    });

    it('falls back to client_id when the token has no sub', async () => {
      const token = await signToken(idp, { sub: undefined, client_id: 'line-4' });
      expect(principalOf(await both.authenticate(bearer(token))).id).toBe('line-4');
      expectInvalid(
        await both.authenticate(bearer(await signToken(idp, { sub: undefined }))),
        /names no subject/,
      );
    });

    it('rejects an expired token, but tolerates a little clock skew', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectInvalid(
        await both.authenticate(bearer(await signToken(idp, {}, { expiresIn: now - 120 }))),
        'the token has expired',
      );
      expect((await both.authenticate(bearer(await signToken(idp, {}, { expiresIn: now - 10 })))).ok).toBe(
        true,
      );
    });

    it('rejects a token without an expiry', async () => {
      const token = await new SignJWT({ sub: 'x', scope: 'query' })
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(idp.privateKey);
      expectInvalid(await both.authenticate(bearer(token)), 'the token has no exp claim');
    });

    it('rejects a wrong issuer or audience', async () => {
      const wrongIssuer = await signToken(idp, {}, { issuer: 'https://evil.example.com' });
      const wrongAudience = await signToken(idp, {}, { audience: 'another-service' });
      expectInvalid(
        await both.authenticate(bearer(wrongIssuer)),
        'the token was issued by an issuer this service does not trust',
      );
      expectInvalid(
        await both.authenticate(bearer(wrongAudience)),
        'the token is meant for another audience',
      );
    });

    it('rejects a token signed by a key outside the JWKS', async () => {
      expectInvalid(
        await both.authenticate(bearer(await signToken(stranger))),
        'the token signature is invalid',
      );
      const unknownKid = await signingKey('ES256', 'rotated-out');
      expectInvalid(
        await both.authenticate(bearer(await signToken(unknownKid))),
        'no configured key matches the token',
      );
    });

    it('rejects alg none and HMAC tokens keyed with the public key', async () => {
      const unsigned = new UnsecuredJWT({ sub: 'x', scope: 'admin' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .encode();
      expectInvalid(
        await both.authenticate(bearer(unsigned)),
        'the token is signed with an algorithm this service does not accept',
      );
      const hmac = await new SignJWT({ sub: 'x', scope: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: 'idp-1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk)));
      expectInvalid(
        await both.authenticate(bearer(hmac)),
        'the token is signed with an algorithm this service does not accept',
      );
    });

    it('rejects a token whose payload was altered after signing', async () => {
      const [header, , signature] = (await signToken(idp, { scope: 'query' })).split('.');
      const forged = Buffer.from(
        JSON.stringify({ sub: 'x', scope: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 2e9 }),
      ).toString('base64url');
      expectInvalid(
        await both.authenticate(bearer(`${header}.${forged}.${signature}`)),
        'the token signature is invalid',
      );
    });

    it('rejects JWTs when only API keys are configured', async () => {
      expectInvalid(
        await keysOnly.authenticate(bearer(await signToken(idp))),
        'JWTs are not accepted by this service',
      );
    });
  });

  it('describes what is configured without key material', () => {
    expect(both.description).toBe('access control on: 2 API key(s) and JWTs verified against 2 JWKS key(s)');
  });
});

describe('requireScope', () => {
  const admin: Principal = { id: 'ops', kind: 'api-key', scopes: new Set(['admin']) };

  it('passes a principal holding the scope', () => {
    expect(requireScope(admin, 'admin')).toBeNull();
  });

  it('answers 403 insufficient_scope naming the scope, and admin does not imply capture', () => {
    expect(requireScope(admin, 'capture')).toEqual({
      ok: false,
      status: 403,
      detail: "this endpoint requires the 'capture' scope",
      wwwAuthenticate:
        'Bearer realm="edgetrace", error="insufficient_scope", ' +
        `error_description="this endpoint requires the 'capture' scope", scope="capture"`,
    });
  });
});
