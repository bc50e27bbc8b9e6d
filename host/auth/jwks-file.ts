import { importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { AuthConfigError } from './auth-config-error.js';
import { isJsonObject } from './json-object.js';
import { readJsonFile } from './read-json-file.js';

// Signature algorithms accepted for JWTs. All asymmetric: the JWKS holds public keys, and with an
// HS* algorithm a public key would become an HMAC secret anyone can read. `none` is never listed.
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

// Members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const CURVE_ALGORITHMS: Record<string, string> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  Ed25519: 'EdDSA',
};

/**
 * Reads a JWKS file and keeps the keys that can verify our tokens. An identity provider's JWKS
 * often also lists encryption keys (`use: "enc"`) or other algorithms; those are dropped rather
 * than refused, so the provider's document can be copied as it is. Every kept key is imported once
 * here, so a broken key stops the start rather than the first request.
 */
export async function readJwksFile(file: string): Promise<JSONWebKeySet> {
  const fail = (problem: string): never => {
    throw new AuthConfigError(file, problem);
  };
  const document = await readJsonFile(file, 'JWKS file');
  if (!isJsonObject(document) || !Array.isArray(document['keys'])) {
    return fail('must be a JSON Web Key Set {"keys": [...]}');
  }
  const usable: JWK[] = [];
  for (const [index, raw] of document['keys'].entries()) {
    const where = `keys[${index}]`;
    if (!isJsonObject(raw) || typeof raw['kty'] !== 'string') return fail(`${where} is not a JSON Web Key`);
    const name = typeof raw['kid'] === 'string' ? `${where} (kid "${raw['kid']}")` : where;
    const secret = SECRET_MEMBERS.filter((member) => member in raw);
    if (secret.length > 0) {
      fail(
        `${name} holds private or symmetric key material (${secret.join(', ')}); publish public keys only`,
      );
    }
    const jwk = raw as JWK;
    if (!isSignatureKey(jwk)) continue;
    const alg = jwk.alg ?? defaultAlgorithm(jwk);
    if (alg === null)
      return fail(`${name}: key type ${jwk.kty}${jwk.crv ? `/${jwk.crv}` : ''} is not supported`);
    try {
      await importJWK(jwk, alg);
    } catch (cause) {
      throw new AuthConfigError(file, `${name} cannot be used as a ${alg} public key`, { cause });
    }
    usable.push(jwk);
  }
  if (usable.length === 0) {
    fail(
      `has no public key for JWT signatures (${JWT_ALGORITHMS.join(', ')}); the JWKS is empty or lists only other uses`,
    );
  }
  return { keys: usable };
}

function isSignatureKey(jwk: JWK): boolean {
  const usableType = jwk.kty === 'RSA' || jwk.kty === 'EC' || jwk.kty === 'OKP';
  const usableUse = jwk.use === undefined || jwk.use === 'sig';
  const usableAlg = jwk.alg === undefined || (JWT_ALGORITHMS as readonly string[]).includes(jwk.alg);
  return usableType && usableUse && usableAlg;
}

// Only used to check the key material at start; at verification time the token names the alg.
function defaultAlgorithm(jwk: JWK): string | null {
  if (jwk.kty === 'RSA') return 'RS256';
  return jwk.crv === undefined ? null : (CURVE_ALGORITHMS[jwk.crv] ?? null);
}
