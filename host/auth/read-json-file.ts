import { readFile } from 'node:fs/promises';
import { AuthConfigError } from './auth-config-error.js';

/**
 * Reads an operator's JSON file at start. `what` names it in errors ("API key file"). The parse
 * error is not attached: V8 quotes the text around the fault, which may be key material.
 */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new AuthConfigError(file, `cannot read the ${what} (${errorCode(cause)})`, { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AuthConfigError(file, `the ${what} is not valid JSON`);
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : String(error);
}
