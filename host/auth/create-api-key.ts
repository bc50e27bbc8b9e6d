// Command line: node dist/host/auth/create-api-key.js --id NAME --scopes capture,query [--hash sha256]
// Prints a fresh API key (once; only its hash is kept) and the entry to add to the API key file.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isKeyId, type ApiKeyEntryJson } from './api-key-file.js';
import { generateApiKey } from './api-key-format.js';
import { hashApiKey, type HashKind } from './api-key-hash.js';
import { parseScopeList, type Scope } from './scopes.js';

export interface NewApiKey {
  /** The secret to hand to the client. Not stored anywhere by us. */
  readonly key: string;
  readonly entry: ApiKeyEntryJson;
}

export async function createApiKey(options: {
  id: string;
  scopes: readonly Scope[];
  hash?: HashKind;
}): Promise<NewApiKey> {
  if (!isKeyId(options.id))
    throw new Error(`key id "${options.id}" must be 1-64 letters, digits or . _ : @ -`);
  const scopes = parseScopeList(options.scopes);
  if (!scopes.ok) throw new Error(`scopes ${scopes.problem}`);
  const { key, selector } = generateApiKey();
  const hash = await hashApiKey(key, options.hash ?? 'scrypt');
  return { key, entry: { id: options.id, selector, hash, scopes: scopes.scopes } };
}

const USAGE = 'usage: create-api-key --id NAME --scopes capture,query,admin [--hash scrypt|sha256]\n';

/** The CLI without process globals: arguments in, exit code and text out. */
export async function runCreateApiKey(argv: readonly string[]): Promise<{ exitCode: 0 | 2; output: string }> {
  let values: { id?: string; scopes?: string; hash?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { id: { type: 'string' }, scopes: { type: 'string' }, hash: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return { exitCode: 2, output: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const { id, scopes, hash = 'scrypt' } = values;
  if (id === undefined || scopes === undefined) return { exitCode: 2, output: USAGE };
  if (hash !== 'scrypt' && hash !== 'sha256')
    return { exitCode: 2, output: `--hash must be scrypt or sha256\n${USAGE}` };
  const scopeList = parseScopeList(scopes.split(',').map((scope) => scope.trim()));
  if (!scopeList.ok) return { exitCode: 2, output: `--scopes ${scopeList.problem}\n${USAGE}` };
  if (!isKeyId(id))
    return { exitCode: 2, output: `--id must be 1-64 letters, digits or . _ : @ -\n${USAGE}` };

  const { key, entry } = await createApiKey({ id, scopes: scopeList.scopes, hash });
  return {
    exitCode: 0,
    output:
      `API key for "${id}" (scopes: ${entry.scopes.join(', ')}). It is shown only now; ` +
      'hand it to the client and keep no other copy:\n\n' +
      `${key}\n\n` +
      'Add this entry to the "keys" array of the API key file and restart the service:\n\n' +
      `${JSON.stringify(entry)}\n`,
  };
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const { exitCode, output } = await runCreateApiKey(process.argv.slice(2));
  (exitCode === 0 ? process.stdout : process.stderr).write(output);
  process.exitCode = exitCode;
}
