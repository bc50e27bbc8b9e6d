// Access control for the routes this server answers itself, in the Node service's order
// (create-app.ts: URL length and Accept first, then fastify-auth.ts): public paths pass; without a
// key file only requests addressed to loopback pass; with one, a bearer API key is verified here
// and its scopes checked against the route (host/app/create-app.ts scopeForRoute).
// Routes the sidecar answers are authenticated by the sidecar, which reads the same key file, and so
// is any request whose bearer credential is not an API key (a JWT, when JWKS_FILE is set there):
// this server does not verify JWTs, it forwards such a request whole, native route or not.
import { STDOUT, writeAll } from '../../platform/wasi';
import { Utf8Writer } from '../../json/utf8-writer';
import { monotonicMs } from '../../platform/wasi-sockets';
import { HttpRequest } from '../http-request';
import { RequestLimits } from '../request-limits';
import { Reply } from '../response-writer';
import { acceptable } from '../router';
import { peerAddress } from '../socket-calls';
import { ApiKeyVerifier, Verdict } from './api-key-verifier';
import {
  FOREIGN_HOST,
  MALFORMED_HEADER,
  MISSING_CREDENTIALS,
  TOKEN_TOO_LONG,
  insufficientScopeChallenge,
  insufficientScopeDetail,
  invalidTokenChallenge,
  missingChallenge,
  tooManyFailuresDetail,
} from './auth-texts';
import { bearerToken } from './bearer-token';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { headField } from './head-field';
import { isLoopbackHost } from './loopback-host';
import { SCOPE_NONE, scopeForRoute, scopeName } from './scopes';
import { writeSecurityProblem } from './security-problem';

export enum Access {
  /** Let the route answer. */
  Allow,
  /** The refusal is in the reply and body. */
  Refused,
  /** Forward the request to the sidecar, which verifies its credential. */
  Forward,
}

// authenticate.ts MAX_TOKEN_LENGTH: far above any real JWT.
const MAX_TOKEN_LENGTH: i32 = 8192;
// operations-routes.ts PUBLIC_PATHS (plus /metrics/server, this server's own) and
// console-routes.ts CONSOLE_PUBLIC_PATHS: reachable without a token by their GET and HEAD routes.
const PUBLIC_PATHS: string[] = ['/health', '/health/sync', '/ready', '/metrics', '/metrics/server', '/ui'];
const PUBLIC_PREFIX = '/ui/';

// Globals: set once at start, and the collector sees only what globals reach.
let verifier: ApiKeyVerifier | null = null;
let limiter = new FailedAuthLimiter(10, 60_000);

/** Turns access control on with the key file's entries (null: open mode on loopback). */
export function configureAccess(keys: ApiKeyVerifier | null, maxFailures: i32, windowMs: i64): void {
  verifier = keys;
  limiter = new FailedAuthLimiter(maxFailures, windowMs);
}

function isPublicPath(path: string): bool {
  return PUBLIC_PATHS.includes(path) || path.startsWith(PUBLIC_PREFIX);
}

/** Decides a request the router answers itself; a refusal is written into `reply` and `body`. */
export function checkAccess(
  req: HttpRequest,
  clientFd: i32,
  limits: RequestLimits,
  reply: Reply,
  body: Utf8Writer,
): Access {
  // The router refuses these before access control is asked, as the Node service's first hook does.
  if (req.targetBytes > limits.maxUrlLength || !acceptable(req.accept)) return Access.Allow;
  const keys = verifier;
  if (keys === null) {
    // Open mode listens on loopback only; this keeps out pages that reach it by DNS rebinding.
    if (isLoopbackHost(headField(req, 'host'))) return Access.Allow;
    writeSecurityProblem(reply, body, 403, FOREIGN_HOST, null, 0);
    return Access.Refused;
  }
  // Public is decided by the route that matched: on these paths only GET and HEAD are routes;
  // fastify answers the other methods (OPTIONS, 405) from its not-found handler, which needs a token.
  const getOrHead = req.method == 'GET' || req.method == 'HEAD';
  if (getOrHead && isPublicPath(req.path)) return Access.Allow;
  const header = headField(req, 'authorization');
  if (header === null || header.trim().length == 0) {
    writeSecurityProblem(reply, body, 401, MISSING_CREDENTIALS, missingChallenge(), 0);
    return Access.Refused;
  }
  const nowMs = monotonicMs();
  const client = peerAddress(clientFd);
  const token = bearerToken(header);
  let quick: Verdict | null = null;
  if (token === null) quick = new Verdict(null, MALFORMED_HEADER);
  else if (token.length > MAX_TOKEN_LENGTH) quick = new Verdict(null, TOKEN_TOO_LONG);
  else if (!token.startsWith('et_')) {
    // Not an API key: the sidecar verifies it (unless this client is past its limit, see below).
    if (!tooManyFailures(client, nowMs, reply, body)) return Access.Forward;
    return Access.Refused;
  } else quick = keys.quickVerdict(token);
  if (quick !== null && quick.entry !== null) return allowIfScoped(req, quick, reply, body);
  // A key verified before passes even past the limit (above); anything else waits it out.
  if (tooManyFailures(client, nowMs, reply, body)) return Access.Refused;
  const verdict = quick !== null ? quick : keys.verify(token!);
  if (verdict.entry === null) {
    limiter.recordFailure(client, nowMs);
    writeSecurityProblem(reply, body, 401, verdict.detail, invalidTokenChallenge(verdict.detail), 0);
    return Access.Refused;
  }
  limiter.recordSuccess(client, nowMs);
  return allowIfScoped(req, verdict, reply, body);
}

function allowIfScoped(req: HttpRequest, verdict: Verdict, reply: Reply, body: Utf8Writer): Access {
  const routed = !(isPublicPath(req.path) && req.method != 'GET' && req.method != 'HEAD');
  const scope = scopeForRoute(req.method, req.path, routed);
  if (scope == SCOPE_NONE || (verdict.entry!.scopes & scope) != 0) return Access.Allow;
  const name = scopeName(scope);
  writeSecurityProblem(reply, body, 403, insufficientScopeDetail(name), insufficientScopeChallenge(name), 0);
  return Access.Refused;
}

/** The 429 of a client past its failed-authentication limit; false when it may be verified. */
function tooManyFailures(client: u32, nowMs: i64, reply: Reply, body: Utf8Writer): bool {
  const retryAfterS = limiter.retryAfterS(client, nowMs);
  if (retryAfterS < 0) return false;
  // A guessing client sends hundreds of these: one line per window says it is being refused.
  if (limiter.firstRefusal(client, nowMs)) {
    const line = String.UTF8.encode(
      '{"msg":"client refused after too many failed authentications","client":"' +
        addressText(client) +
        '","retryAfterS":' +
        retryAfterS.toString() +
        '}\n',
    );
    writeAll(STDOUT, changetype<usize>(line), <usize>line.byteLength);
  }
  writeSecurityProblem(reply, body, 429, tooManyFailuresDetail(retryAfterS), null, retryAfterS);
  return true;
}

function addressText(address: u32): string {
  return (
    (address >>> 24).toString() +
    '.' +
    ((address >>> 16) & 255).toString() +
    '.' +
    ((address >>> 8) & 255).toString() +
    '.' +
    (address & 255).toString()
  );
}
