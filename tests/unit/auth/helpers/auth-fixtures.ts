import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { createApiKey } from '../../../../host/auth/create-api-key.js';
import type { HashKind } from '../../../../host/auth/api-key-hash.js';
import type { Scope } from '../../../../host/auth/scopes.js';

export const ISSUER = 'https://idp.example.com/realms/edge';
export const AUDIENCE = 'edgetrace';

/** A temporary folder for key and JWKS files, removed by `cleanup`. */
export async function tempFolder(): Promise<{
  path: (name: string) => string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'edgetrace-auth-'));
  return { path: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeJson(file: string, value: unknown): Promise<string> {
  await writeFile(file, JSON.stringify(value));
  return file;
}

/** Keys made by the CLI function, written to a key file; returns the file and the secrets by id. */
export async function writeKeyFile(
  file: string,
  specs: ReadonlyArray<{ id: string; scopes: Scope[]; hash?: HashKind }>,
): Promise<{ file: string; keys: Record<string, string> }> {
  const keys: Record<string, string> = {};
  const entries = [];
  for (const spec of specs) {
    const made = await createApiKey(spec);
    keys[spec.id] = made.key;
    entries.push(made.entry);
  }
  await writeJson(file, { keys: entries });
  return { file, keys };
}

export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly alg: 'ES256' | 'RS256';
}

export async function signingKey(alg: 'ES256' | 'RS256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, publicJwk, alg };
}

/** A token as an identity provider would issue it; `claims` override the defaults. */
export async function signToken(
  key: SigningKey,
  claims: JWTPayload = {},
  options: { expiresIn?: string | number; issuer?: string; audience?: string } = {},
): Promise<string> {
  return new SignJWT({ sub: 'scanner-7', scope: 'capture query', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid as string, typ: 'at+jwt' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key.privateKey);
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** What an authenticator is configured with: an API key file and one identity provider's JWKS. */
export interface AccessFiles {
  folder: Awaited<ReturnType<typeof tempFolder>>;
  /** Options for createAuthenticator. */
  config: { apiKeyFile: string; jwks: { file: string; issuer: string; audience: string } };
  /** The API keys' secrets by id. */
  keys: Record<string, string>;
  /** The identity provider's ES256 key (kid idp-1), whose public half is the JWKS. */
  idp: SigningKey;
}

/** A temporary folder holding a key file of `specs` and the JWKS of a fresh identity provider. */
export async function writeAccessFiles(
  specs: ReadonlyArray<{ id: string; scopes: Scope[]; hash?: HashKind }>,
): Promise<AccessFiles> {
  const folder = await tempFolder();
  const idp = await signingKey('ES256', 'idp-1');
  const jwksFile = await writeJson(folder.path('jwks.json'), { keys: [idp.publicJwk] });
  const { file, keys } = await writeKeyFile(folder.path('keys.json'), specs);
  return {
    folder,
    config: { apiKeyFile: file, jwks: { file: jwksFile, issuer: ISSUER, audience: AUDIENCE } },
    keys,
    idp,
  };
}
