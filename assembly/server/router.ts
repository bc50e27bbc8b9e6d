// Turns a complete request into an answer, in the order the Node service checks (create-app.ts
// onRequest, then host/http/method-routing.ts): URL length, then for the paths served here the
// Accept header, then the method (HEAD as GET without a body, OPTIONS 204 + Allow, others 405).
// Paths this server does not serve belong to the sidecar and are forwarded to it (forward/); while
// it cannot be reached they get the 503 the issue specifies for "sidecar down", never a 404 the full
// API would not give.
import { Utf8Writer } from '../json/utf8-writer';
import { HttpRequest } from './http-request';
import { Problem, writeProblemBody } from './problem';
import { RequestLimits } from './request-limits';
import { PROBLEM_TYPE, Reply } from './response-writer';
import { answerHealth } from './routes/health-route';
import { answerReady } from './routes/ready-route';
import { answerServerMetrics } from './routes/server-metrics-route';
import { answerCapture, answerJob } from './routes/capture-route';
import { answerEvent } from './routes/events-route';
import { answerState, epcFormatProblem, unknownEpcProblem } from './routes/state-route';
import { Native, bodyProblem, contentsEpc, jobId, nativeRoute, stateEpc } from './native-routes';
import { answerContents } from './routes/contents-route';
import { sidecarPort } from './forward/sidecar-pool';

const GET_ROUTE_METHODS = 'OPTIONS, GET, HEAD';

export function answerProblem(reply: Reply, body: Utf8Writer, p: Problem): void {
  reply.status = p.status;
  reply.contentType = PROBLEM_TYPE;
  body.reset();
  writeProblemBody(body, p);
}

/** The Node service's Accept filter: /(\*\/\*|application\/(\*|json|ld\+json|problem\+json)|text\/plain)/. */
export function acceptable(accept: string | null): bool {
  if (accept === null) return true;
  return (
    accept.includes('*/*') ||
    accept.includes('application/*') ||
    accept.includes('application/json') ||
    accept.includes('application/ld+json') ||
    accept.includes('application/problem+json') ||
    accept.includes('text/plain')
  );
}

/** Whether `req` is the sidecar's to answer (its URL is within the limit, which is checked here first). */
export function forwardedRequest(req: HttpRequest, limits: RequestLimits): bool {
  return req.targetBytes <= limits.maxUrlLength && nativeRoute(req) == Native.None;
}

export function sidecarDownProblem(req: HttpRequest): Problem {
  return new Problem(
    503,
    'ServiceUnavailableException',
    req.method +
      ' ' +
      req.path +
      ' is answered by the sidecar (the Node service), which is not connected to this server',
  );
}

/**
 * Streams (the SSE feed, WebSocket upgrades) are not relayed: they would hold a client connection
 * and a sidecar connection for hours past the forwarding timeout. Clients open them on the sidecar.
 */
export function streamProblem(req: HttpRequest): Problem | null {
  if (req.path != '/events/stream' && !hasField(req, 'upgrade')) return null;
  return new Problem(
    501,
    'NotImplementedException',
    req.method +
      ' ' +
      req.path +
      ' opens a stream, which this server does not forward: open it on the sidecar, 127.0.0.1:' +
      sidecarPort().toString(),
  );
}

/** Whether the request's head has a field `lowerName` (only the rare stream check needs a raw scan). */
function hasField(req: HttpRequest, lowerName: string): bool {
  const head = String.UTF8.decodeUnsafe(req.head.ptr, <usize>req.head.length).toLowerCase();
  return head.includes('\n' + lowerName + ':');
}

/** Writes the answer to `req` into `reply` and `body`. */
export function route(req: HttpRequest, limits: RequestLimits, reply: Reply, body: Utf8Writer): void {
  reply.reset();
  body.reset();
  if (req.targetBytes > limits.maxUrlLength) {
    answerProblem(
      reply,
      body,
      new Problem(
        414,
        'URITooLongException',
        'the request URL is ' +
          req.targetBytes.toString() +
          ' characters; the limit is ' +
          limits.maxUrlLength.toString(),
      ),
    );
    return;
  }
  const native = nativeRoute(req);
  if (native == Native.None) {
    answerProblem(reply, body, sidecarDownProblem(req));
    return;
  }
  if (!acceptable(req.accept)) {
    answerProblem(
      reply,
      body,
      new Problem(
        406,
        'NotAcceptableException',
        'this server answers application/json, application/ld+json or application/problem+json',
      ),
    );
    return;
  }
  if (native == Native.Capture) {
    const p = bodyProblem(req);
    const refused = p !== null ? p : answerCapture(req, reply, body);
    if (refused !== null) answerProblem(reply, body, refused);
    return;
  }
  if (native == Native.Events) {
    const p = bodyProblem(req);
    const refused = p !== null ? p : answerEvent(req, reply, body);
    if (refused !== null) answerProblem(reply, body, refused);
    return;
  }
  if (native == Native.Job) {
    answerJob(jobId(req.path), reply, body);
    return;
  }
  if (native == Native.State) {
    const formatProblem = epcFormatProblem(req.epcFormat);
    if (formatProblem !== null) {
      answerProblem(reply, body, formatProblem);
      return;
    }
    const epc = stateEpc(req.path)!;
    if (!answerState(epc, reply, body)) answerProblem(reply, body, unknownEpcProblem(epc));
    return;
  }
  if (native == Native.Contents) {
    const formatProblem = epcFormatProblem(req.epcFormat);
    const refused =
      formatProblem !== null ? formatProblem : answerContents(contentsEpc(req.path)!, req.query, reply, body);
    if (refused !== null) answerProblem(reply, body, refused);
    return;
  }
  // /health, /ready and /metrics/server: the same methods, OPTIONS and 405 answers.
  if (req.method == 'GET' || req.method == 'HEAD') {
    if (native == Native.Ready) answerReady(req, reply, body);
    else if (native == Native.ServerMetrics) answerServerMetrics(req, reply, body);
    else answerHealth(req, reply, body);
    return;
  }
  if (req.method == 'OPTIONS') {
    reply.status = 204;
    reply.allow = GET_ROUTE_METHODS;
    return;
  }
  answerProblem(
    reply,
    body,
    new Problem(
      405,
      'MethodNotAllowedException',
      req.path + ' does not support ' + req.method + '; it answers ' + GET_ROUTE_METHODS,
    ),
  );
  reply.allow = GET_ROUTE_METHODS;
}
