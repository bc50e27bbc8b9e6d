import { isSelector } from './api-key-format.js';
import { type KeyHash, parseKeyHash } from './api-key-hash.js';
import { AuthConfigError } from './auth-config-error.js';
import { isJsonObject, unknownFields } from './json-object.js';
import { readJsonFile } from './read-json-file.js';
import { parseScopeList, type Scope } from './scopes.js';

// The operator-written API key file:
//   {"keys":[{"id":"scanner-dock-3","selector":"…","hash":"scrypt$…","scopes":["capture"]}]}
// `create-api-key` prints ready-made entries. Unknown fields are rejected so that a misspelt
// "scope" cannot silently leave a key with different permissions than intended.

export interface ApiKeyEntry {
  readonly id: string;
  readonly selector: string;
  readonly hash: KeyHash;
  readonly scopes: ReadonlySet<Scope>;
}

/** The JSON shape of one entry, as the CLI prints it. */
export interface ApiKeyEntryJson {
  id: string;
  selector: string;
  hash: string;
  scopes: Scope[];
}

// Ids end up in logs and audit fields, so keep them to characters that need no escaping.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;
const DOCUMENT_FIELDS = new Set(['keys']);
const ENTRY_FIELDS = new Set(['id', 'selector', 'hash', 'scopes']);

export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export async function readApiKeyFile(file: string): Promise<ApiKeyEntry[]> {
  return parseApiKeyDocument(file, await readJsonFile(file, 'API key file'));
}

export function parseApiKeyDocument(file: string, document: unknown): ApiKeyEntry[] {
  const fail = (problem: string): never => {
    throw new AuthConfigError(file, problem);
  };
  if (!isJsonObject(document)) return fail('must be a JSON object {"keys": [...]}');
  const extra = unknownFields(document, DOCUMENT_FIELDS);
  if (extra !== null) fail(`unknown field ${extra} (only "keys" is allowed)`);
  const keys = document['keys'];
  if (!Array.isArray(keys) || keys.length === 0) return fail('"keys" must be a non-empty array');

  const ids = new Set<string>();
  const selectors = new Set<string>();
  return keys.map((raw: unknown, index): ApiKeyEntry => {
    const where = `keys[${index}]`;
    if (!isJsonObject(raw)) return fail(`${where} must be an object`);
    const unknown = unknownFields(raw, ENTRY_FIELDS);
    if (unknown !== null) fail(`${where}: unknown field ${unknown}`);
    const { id, selector, hash, scopes } = raw;
    if (!isKeyId(id))
      return fail(`${where}.id must be 1-64 letters, digits or . _ : @ - and start with a letter or digit`);
    if (ids.has(id)) fail(`${where}: id "${id}" is used twice`);
    if (!isSelector(selector)) return fail(`${where} ("${id}"): selector must be 11 base64url characters`);
    if (selectors.has(selector)) fail(`${where} ("${id}"): selector is used by another key`);
    if (typeof hash !== 'string') return fail(`${where} ("${id}"): hash must be a string`);
    const parsedHash = parseKeyHash(hash);
    if (!parsedHash.ok) return fail(`${where} ("${id}"): hash ${parsedHash.problem}`);
    const parsedScopes = parseScopeList(scopes);
    if (!parsedScopes.ok) return fail(`${where} ("${id}"): scopes ${parsedScopes.problem}`);
    ids.add(id);
    selectors.add(selector);
    return { id, selector, hash: parsedHash.hash, scopes: new Set(parsedScopes.scopes) };
  });
}
