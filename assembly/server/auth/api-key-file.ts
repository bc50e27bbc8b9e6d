// The operator's API key file, checked as host/auth/api-key-file.ts checks it, with the same
// problem texts (a start-up message names the file and the problem, never key material):
//   {"keys":[{"id":"scanner-dock-3","selector":"<11 base64url>","hash":"scrypt$…","scopes":["capture"]}]}
import { parseJson, ParseLimits } from '../../json/parser';
import { JsonArray, JsonKind, JsonObject, JsonValue } from '../../json/value';
import { KeyHash, parseKeyHash } from './key-hash';
import { scopeBit, scopeList } from './scopes';

export class ApiKeyEntry {
  constructor(
    public id: string,
    public selector: string,
    public hash: KeyHash,
    /** SCOPE_* bits. */
    public scopes: i32,
  ) {}
}

export class ApiKeyDocument {
  entries: Array<ApiKeyEntry> = new Array<ApiKeyEntry>();
  /** The first problem, worded as api-key-file.ts words it; null when every entry is usable. */
  problem: string | null = null;
}

const limits = new ParseLimits();

function refused(document: ApiKeyDocument, problem: string): ApiKeyDocument {
  document.problem = problem;
  return document;
}

/** json-object.ts unknownFields: the names outside `allowed`, quoted and joined, or null. */
function unknownFields(object: JsonObject, allowed: string[]): string | null {
  let extra = '';
  for (let i = 0; i < object.keys.length; i++) {
    const name = unchecked(object.keys[i]);
    if (!allowed.includes(name)) extra += (extra.length > 0 ? ', ' : '') + '"' + name + '"';
  }
  return extra.length > 0 ? extra : null;
}

/** api-key-file.ts ID_PATTERN: /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/. */
function isKeyId(id: string): bool {
  if (id.length < 1 || id.length > 64) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && (i == 0 || !(c == 0x2e || c == 0x5f || c == 0x3a || c == 0x40 || c == 0x2d))) return false;
  }
  return true;
}

/** api-key-format.ts SELECTOR_PATTERN: 11 base64url characters. */
export function isSelector(text: string): bool {
  if (text.length != 11) return false;
  for (let i = 0; i < 11; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c == 0x2d ||
      c == 0x5f;
    if (!ok) return false;
  }
  return true;
}

/** JavaScript's typeof for a JSON value, as scopes.ts shows a non-string scope. */
function typeOf(value: JsonValue): string {
  if (value.kind == JsonKind.String) return 'string';
  if (value.kind == JsonKind.Number) return 'number';
  if (value.kind == JsonKind.True || value.kind == JsonKind.False) return 'boolean';
  return 'object';
}

/** scopes.ts parseScopeList: the scope bits, or a negative number after setting `document.problem`. */
function scopesOf(value: JsonValue | null, where: string, document: ApiKeyDocument): i32 {
  const list: JsonArray | null = value === null ? null : value.asArray();
  if (list === null || list.length == 0) {
    document.problem = where + ': scopes must be a non-empty list of ' + scopeList();
    return -1;
  }
  let bits = 0;
  for (let i = 0; i < list.length; i++) {
    const item = unchecked(list.items[i]);
    const name = item.asString();
    const bit = name === null ? 0 : scopeBit(name);
    if (bit == 0) {
      const shown = name !== null ? "'" + name + "'" : typeOf(item);
      document.problem = where + ': scopes unknown scope ' + shown + ' (expected ' + scopeList() + ')';
      return -1;
    }
    bits |= bit;
  }
  return bits;
}

/** Checks the file's text; the entries, or the first problem. */
export function parseApiKeyDocument(ptr: usize, len: i32): ApiKeyDocument {
  const document = new ApiKeyDocument();
  // JSON.parse refuses a byte order mark, which the core's parser skips: refuse it the same way.
  const bom = len >= 3 && load<u8>(ptr) == 0xef && load<u8>(ptr, 1) == 0xbb && load<u8>(ptr, 2) == 0xbf;
  if (bom) return refused(document, 'the API key file is not valid JSON');
  const parsed = parseJson(ptr, len, limits);
  const root = parsed.value;
  if (root === null) return refused(document, 'the API key file is not valid JSON');
  const object = root.asObject();
  if (object === null) return refused(document, 'must be a JSON object {"keys": [...]}');
  const extra = unknownFields(object, ['keys']);
  if (extra !== null) return refused(document, 'unknown field ' + extra + ' (only "keys" is allowed)');
  const keys = object.getArray('keys');
  if (keys === null || keys.length == 0) return refused(document, '"keys" must be a non-empty array');
  const ids = new Set<string>();
  const selectors = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    const where = 'keys[' + i.toString() + ']';
    const raw = unchecked(keys.items[i]).asObject();
    if (raw === null) return refused(document, where + ' must be an object');
    const unknown = unknownFields(raw, ['id', 'selector', 'hash', 'scopes']);
    if (unknown !== null) return refused(document, where + ': unknown field ' + unknown);
    const id = raw.getString('id');
    if (id === null || !isKeyId(id)) {
      return refused(
        document,
        where + '.id must be 1-64 letters, digits or . _ : @ - and start with a letter or digit',
      );
    }
    if (ids.has(id)) return refused(document, where + ': id "' + id + '" is used twice');
    const named = where + ' ("' + id + '")';
    const selector = raw.getString('selector');
    if (selector === null || !isSelector(selector))
      return refused(document, named + ': selector must be 11 base64url characters');
    if (selectors.has(selector)) return refused(document, named + ': selector is used by another key');
    const hashText = raw.getString('hash');
    if (hashText === null) return refused(document, named + ': hash must be a string');
    const hash = parseKeyHash(hashText);
    const hashProblem = hash.problem;
    if (hashProblem !== null) return refused(document, named + ': hash ' + hashProblem);
    const scopes = scopesOf(raw.get('scopes'), named, document);
    if (scopes < 0) return document;
    ids.add(id);
    selectors.add(selector);
    document.entries.push(new ApiKeyEntry(id, selector, hash, scopes));
  }
  return document;
}
