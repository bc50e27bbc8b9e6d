// Start-up of access control: reads and checks the API key file (exit 2 on any problem, as the
// Node service refuses to start with weaker access control than asked for) and decides the listen
// address. Messages name the file and the problem, never key material, in the Node service's form
// "access control: <file>: <problem>" (host/auth/auth-config-error.ts).
import { ApiKeyVerifier } from './api-key-verifier';
import { parseApiKeyDocument } from './api-key-file';
import { configureAccess } from './access-gate';
import { readKeyFile } from './key-file-read';
import { ListenAddress, listenAddressFor } from './listen-address';

export class AccessSetup {
  listen: ListenAddress = new ListenAddress();
  /** "access control on: N API key(s)" (authenticate.ts describe), or null in open mode. */
  description: string | null = null;
  /** Why the server must not start; null when it may. */
  problem: string | null = null;
}

// The last set-up, held by a global: _start reads it after the journal replay, and no collection
// may free it meanwhile (the minimal runtime does not scan the stack).
let held = new AccessSetup();

export function setUpAccessControl(
  apiKeysFile: string | null,
  host: string,
  maxFailures: i32,
  windowMs: i64,
): AccessSetup {
  const setup = new AccessSetup();
  held = setup;
  let verifier: ApiKeyVerifier | null = null;
  if (apiKeysFile !== null) {
    const text = readKeyFile(apiKeysFile);
    const readProblem = text.problem;
    if (readProblem !== null) {
      setup.problem = 'access control: ' + apiKeysFile + ': ' + readProblem;
      return setup;
    }
    const document = parseApiKeyDocument(changetype<usize>(text.bytes), text.bytes.length);
    const problem = document.problem;
    if (problem !== null) {
      setup.problem = 'access control: ' + apiKeysFile + ': ' + problem;
      return setup;
    }
    verifier = new ApiKeyVerifier(document.entries);
    setup.description = 'access control on: ' + verifier.keyCount.toString() + ' API key(s)';
  }
  setup.listen = listenAddressFor(host, verifier !== null);
  const listenProblem = setup.listen.problem;
  if (listenProblem !== null) {
    setup.problem = listenProblem;
    return setup;
  }
  configureAccess(verifier, maxFailures, windowMs);
  return setup;
}
