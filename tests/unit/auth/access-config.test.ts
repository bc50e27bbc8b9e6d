import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { AuthConfigError } from '../../../host/auth/auth-config-error.js';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { generateKeyPair, exportJWK } from 'jose';
import { AUDIENCE, ISSUER, signingKey, tempFolder, writeJson } from './helpers/auth-fixtures.js';

describe('access-control configuration', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  beforeEach(async () => {
    folder = await tempFolder();
  });
  afterEach(() => folder.cleanup());

  async function entry(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return {
      ...(await createApiKey({ id: 'dock', scopes: ['capture'], hash: 'sha256' })).entry,
      ...overrides,
    };
  }

  async function keyFileError(document: unknown): Promise<AuthConfigError> {
    const file = await writeJson(folder.path('keys.json'), document);
    const error: unknown = await createAuthenticator({ apiKeyFile: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).message).toContain(file);
    expect((error as AuthConfigError).code).toBe('AUTH_CONFIG_INVALID');
    return error as AuthConfigError;
  }

  it('is open mode (null) when neither a key file nor a JWKS is configured', async () => {
    expect(await createAuthenticator({})).toBeNull();
  });

  it('names the key file when it cannot be read', async () => {
    const file = folder.path('missing.json');
    await expect(createAuthenticator({ apiKeyFile: file })).rejects.toThrow(
      `access control: ${file}: cannot read the API key file (ENOENT)`,
    );
  });

  it('reports a key file that is not JSON without quoting its content', async () => {
    const file = folder.path('keys.json');
    await writeFile(file, '{"keys": [ {"id": "dock", "hash": "sha256$secretish" ');
    const error: unknown = await createAuthenticator({ apiKeyFile: file }).catch((e: unknown) => e);
    expect(String(error)).toContain(`${file}: the API key file is not valid JSON`);
    expect(String(error)).not.toContain('secretish');
    expect((error as Error).cause).toBeUndefined();
  });

  it.each([
    [[], /must be a JSON object \{"keys": \[...\]\}/],
    [{ keys: [] }, /"keys" must be a non-empty array/],
    [{ keys: [], comment: 'x' }, /unknown field "comment"/],
  ])('refuses the document %j', async (document, message) => {
    expect((await keyFileError(document)).message).toMatch(message);
  });

  it.each([
    [
      { scopes: ['capture', 'write'] },
      /keys\[0\] \("dock"\): scopes unknown scope 'write' \(expected capture, query, admin\)/,
    ],
    [{ scopes: [] }, /scopes must be a non-empty list/],
    [{ scope: ['capture'] }, /keys\[0\]: unknown field "scope"/],
    [{ id: '' }, /keys\[0\]\.id must be/],
    [{ selector: 'short' }, /selector must be 11 base64url characters/],
    [{ hash: 'md5$abc' }, /hash must be "scrypt\$ln=…/],
    [
      { hash: 'scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA' },
      /parameters ln=30,r=8,p=1 are out of range/,
    ],
    [{ hash: 'scrypt$ln=14,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA' }, /salt must be at least 16 bytes/],
  ])('refuses an entry with %j', async (overrides, message) => {
    expect((await keyFileError({ keys: [await entry(overrides)] })).message).toMatch(message);
  });

  it('refuses two keys with the same id or selector', async () => {
    const first = await entry();
    expect((await keyFileError({ keys: [first, await entry()] })).message).toMatch(
      /keys\[1\]: id "dock" is used twice/,
    );
    const second = await entry({ id: 'other', selector: first['selector'] });
    expect((await keyFileError({ keys: [first, second] })).message).toMatch(
      /selector is used by another key/,
    );
  });

  describe('JWKS', () => {
    async function jwksError(
      jwks: unknown,
      options: { issuer?: string; audience?: string } = {},
    ): Promise<string> {
      const file = await writeJson(folder.path('jwks.json'), jwks);
      const config = { file, issuer: options.issuer ?? ISSUER, audience: options.audience ?? AUDIENCE };
      const error: unknown = await createAuthenticator({ jwks: config }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(String(error)).toContain(file);
      return String(error);
    }

    it('refuses a JWKS without keys', async () => {
      expect(await jwksError({ keys: [] })).toMatch(/has no public key for JWT signatures/);
      expect(await jwksError({})).toMatch(/must be a JSON Web Key Set/);
    });

    it('refuses a JWKS that lists only encryption keys', async () => {
      const { publicJwk } = await signingKey('RS256', 'enc-1');
      expect(await jwksError({ keys: [{ ...publicJwk, use: 'enc', alg: 'RSA-OAEP' }] })).toMatch(
        /has no public key/,
      );
    });

    it('refuses private or symmetric key material', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      expect(await jwksError({ keys: [{ ...privateJwk, kid: 'oops' }] })).toMatch(
        /keys\[0\] \(kid "oops"\) holds private or symmetric key material \(d\)/,
      );
      expect(await jwksError({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })).toMatch(
        /private or symmetric key material \(k\)/,
      );
    });

    it('refuses a key that cannot be imported', async () => {
      expect(await jwksError({ keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'bad' }] })).toMatch(
        /kid "bad"\) cannot be used as a ES256 public key/,
      );
    });

    it('refuses a missing issuer or audience', async () => {
      const { publicJwk } = await signingKey('ES256', 'k1');
      expect(await jwksError({ keys: [publicJwk] }, { issuer: '' })).toMatch(/needs an issuer/);
      expect(await jwksError({ keys: [publicJwk] }, { audience: ' ' })).toMatch(/needs an audience/);
    });

    it('refuses a clock tolerance beyond five minutes', async () => {
      const { publicJwk } = await signingKey('ES256', 'k1');
      const file = await writeJson(folder.path('jwks.json'), { keys: [publicJwk] });
      await expect(
        createAuthenticator({ jwks: { file, issuer: ISSUER, audience: AUDIENCE, clockToleranceS: 3600 } }),
      ).rejects.toThrow(/clock tolerance must be 0 to 300 seconds/);
    });
  });
});
