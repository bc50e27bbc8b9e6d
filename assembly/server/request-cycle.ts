// The HTTP side of a connection: takes received bytes, finds each request (head, then a
// Content-Length or chunked body), routes it and appends the answer to the output, for any number
// of keep-alive and pipelined requests. No socket calls here: connection.ts moves the bytes.
import { Utf8Writer } from '../json/utf8-writer';
import { ByteQueue } from './byte-queue';
import { BodyProgress, ChunkedBody, tooLarge } from './chunked-body';
import { HttpRequest } from './http-request';
import { Problem, writeProblemBody } from './problem';
import { findHeadEnd, parseHead } from './request-head-parser';
import { RequestLimits } from './request-limits';
import { Reply, writeContinue, writeRefusal, writeResponse } from './response-writer';
import { answerProblem, forwardedRequest, route, sidecarDownProblem, streamProblem } from './router';
import { Access, checkAccess } from './auth/access-gate';
import { monotonicNs } from '../platform/wasi-sockets';
import { ForwardOutcome, recordForward, recordRequest } from './metrics/server-metrics';
import { RouteLabel, routeLabelOf } from './metrics/route-label';

// A request body larger than this is not kept for the next request on the connection.
const KEPT_BODY_BYTES: i32 = 4096;

// Shared by every connection: the event loop handles one request at a time.
const body = new Utf8Writer(4096);
const reply = new Reply();

export class RequestCycle {
  readonly request: HttpRequest = new HttpRequest();
  /** The request is the sidecar's: no further request is read until connection.ts relayed its answer. */
  pendingForward: bool = false;
  private readonly chunked: ChunkedBody = new ChunkedBody();
  /** Between a head and the end of its body. */
  inBody: bool = false;
  private headScanFrom: i32 = 0;
  /** When the current request's first byte came (for a new connection: its accept); -1 between requests. */
  requestStartMs: i64;
  idleSinceMs: i64;
  /** An answer that ends the connection was queued: read no further request. */
  finished: bool = false;
  /** Requests answered since the event loop last looked (it collects garbage after turns that served any). */
  answered: i32 = 0;
  /** When the current request's first byte was read, for the latency histogram; 0 between requests. */
  private startedNs: u64 = 0;

  constructor(
    nowMs: i64,
    /** The client's socket, whose peer address the failed-authentication limit counts by. */
    readonly clientFd: i32 = -1,
  ) {
    this.requestStartMs = nowMs;
    this.idleSinceMs = nowMs;
  }

  /** When the request in progress times out, or the idle connection; i64.MAX_VALUE for none. */
  deadline(limits: RequestLimits): i64 {
    // A forwarded request's time is the exchange's (connection.ts).
    if (this.finished || this.pendingForward) return i64.MAX_VALUE;
    if (this.requestStartMs >= 0) {
      return this.requestStartMs + (this.inBody ? limits.requestTimeoutMs : limits.headersTimeoutMs);
    }
    return this.idleSinceMs + limits.keepAliveTimeoutMs;
  }

  /** Whether a request has started arriving (a timeout then gets a 408; an idle one just closes). */
  @inline get requestInProgress(): bool {
    return this.requestStartMs >= 0;
  }

  /** Answers complete requests from `input` into `output` until more bytes are needed or `output` holds `highWater`. */
  process(input: ByteQueue, output: Utf8Writer, highWater: i32, nowMs: i64, limits: RequestLimits): void {
    while (!this.finished && !this.pendingForward && output.length < highWater) {
      if (!this.inBody) {
        if (!this.readHead(input, output, nowMs, limits)) return;
      } else {
        if (!this.readBody(input, output, limits)) return;
        this.respond(output, nowMs, limits);
      }
    }
  }

  /** The 408 of the Node service for a request that did not arrive in time. */
  timeOut(output: Utf8Writer, limits: RequestLimits): void {
    this.refuse(
      output,
      new Problem(
        408,
        'RequestTimeoutException',
        'the request did not arrive in time: headers are allowed ' +
          limits.headersTimeoutMs.toString() +
          ' ms, the whole request ' +
          limits.requestTimeoutMs.toString() +
          ' ms',
      ),
    );
  }

  /** Returns true when a head was read (and answered when it has no body). */
  private readHead(input: ByteQueue, output: Utf8Writer, nowMs: i64, limits: RequestLimits): bool {
    // RFC 9112 §2.2: empty lines before a request line are ignored.
    while (input.length > 0 && this.headScanFrom == 0) {
      const c = load<u8>(input.ptr);
      if (c != 0x0d && c != 0x0a) break;
      input.consume(1);
    }
    if (input.length == 0) return false;
    if (this.requestStartMs < 0) this.requestStartMs = nowMs;
    if (this.startedNs == 0) this.startedNs = monotonicNs();
    const end = findHeadEnd(input.ptr, input.length, this.headScanFrom);
    if (end < 0) {
      if (input.length > limits.maxHeadBytes) this.refuse(output, headTooLarge(input.ptr, limits));
      else this.headScanFrom = max(0, input.length - 3);
      return false;
    }
    if (end > limits.maxHeadBytes) {
      this.refuse(output, headTooLarge(input.ptr, limits));
      return false;
    }
    this.headScanFrom = 0;
    const req = this.request;
    const problem = parseHead(input.ptr, end, req);
    // Kept as sent: a request for the sidecar is passed on with its fields unchanged.
    req.head.raw(input.ptr, end);
    input.consume(end);
    if (problem !== null) {
      this.refuse(output, problem);
      return false;
    }
    if (req.contentLength > <i64>limits.maxBodyBytes) {
      this.answerAndClose(output, tooLarge(limits.maxBodyBytes));
      return false;
    }
    if (!req.hasBody) {
      this.respond(output, nowMs, limits);
      return true;
    }
    this.chunked.reset();
    this.inBody = true;
    if (req.expectContinue && req.minorVersion == 1) writeContinue(output);
    return true;
  }

  /** Moves body bytes out of the input; true once the whole body is there. */
  private readBody(input: ByteQueue, output: Utf8Writer, limits: RequestLimits): bool {
    const req = this.request;
    if (req.chunked) {
      const progress = this.chunked.advance(input, req.body, limits.maxBodyBytes);
      if (progress == BodyProgress.Done) return true;
      if (progress == BodyProgress.Failed) {
        const problem = this.chunked.problem!;
        if (problem.status == 413) this.answerAndClose(output, problem);
        else this.refuse(output, problem);
      }
      return false;
    }
    const missing = <i32>req.contentLength - req.body.length;
    const n = min(missing, input.length);
    req.body.raw(input.ptr, n);
    input.consume(n);
    return n == missing;
  }

  private respond(output: Utf8Writer, nowMs: i64, limits: RequestLimits): void {
    const req = this.request;
    // Access control for what this server answers (auth/access-gate.ts); the sidecar checks the rest.
    const access = forwardedRequest(req, limits)
      ? Access.Forward
      : checkAccess(req, this.clientFd, limits, reply, body);
    if (access == Access.Forward) {
      const refused = streamProblem(req);
      if (refused === null) {
        this.pendingForward = true;
        return;
      }
      reply.reset();
      answerProblem(reply, body, refused);
    } else if (access == Access.Allow) {
      route(req, limits, reply, body);
    }
    this.writeAnswer(output, nowMs);
  }

  /** The sidecar could not answer the forwarded request: `problem` (503, or 504 after the timeout) instead. */
  answerForwardFailure(output: Utf8Writer, problem: Problem, nowMs: i64): void {
    this.pendingForward = false;
    recordForward(problem.status == 504 ? ForwardOutcome.TimedOut : ForwardOutcome.Unreachable);
    reply.reset();
    answerProblem(reply, body, problem);
    this.writeAnswer(output, nowMs);
  }

  /** The sidecar could not be reached: the 503 of "sidecar down". */
  answerSidecarDown(output: Utf8Writer, nowMs: i64): void {
    this.answerForwardFailure(output, sidecarDownProblem(this.request), nowMs);
  }

  /** The sidecar's answer (`status`) is in the output; `close`: the connection ends after it. */
  forwardDone(nowMs: i64, close: bool, status: i32): void {
    this.pendingForward = false;
    recordForward(ForwardOutcome.Ok);
    this.requestDone(nowMs, close, status);
  }

  /** The sidecar's answer broke off after its head went out: the connection closes. */
  forwardCut(status: i32): void {
    this.pendingForward = false;
    this.finished = true;
    recordForward(ForwardOutcome.Cut);
    this.measured(RouteLabel.Forwarded, status);
  }

  private writeAnswer(output: Utf8Writer, nowMs: i64): void {
    const req = this.request;
    if (!req.keepAlive) reply.close = true;
    writeResponse(output, reply, body, req.method != 'HEAD');
    this.requestDone(nowMs, reply.close, reply.status);
  }

  private requestDone(nowMs: i64, close: bool, status: i32): void {
    const req = this.request;
    this.measured(routeLabelOf(req), status);
    this.answered++;
    this.inBody = false;
    this.requestStartMs = -1;
    this.idleSinceMs = nowMs;
    if (close) this.finished = true;
    if (req.body.length > KEPT_BODY_BYTES) req.body.reset();
  }

  /** Counts the request in the metrics, timed from its first byte (a refusal may come before any). */
  private measured(route: RouteLabel, status: i32): void {
    const started = this.startedNs;
    recordRequest(route, status, started == 0 ? 0 : monotonicNs() - started);
    this.startedNs = 0;
  }

  /** A routed-style problem answer after which the connection closes (a body too large to read). */
  private answerAndClose(output: Utf8Writer, p: Problem): void {
    this.measured(RouteLabel.Unmatched, p.status);
    answerProblem(reply, body, p);
    reply.close = true;
    writeResponse(output, reply, body, true);
    this.finished = true;
  }

  /** A refusal before routing, as node's clientError path answers it; the connection closes after it. */
  private refuse(output: Utf8Writer, p: Problem): void {
    this.measured(RouteLabel.Unmatched, p.status);
    body.reset();
    writeProblemBody(body, p);
    writeRefusal(output, p.status, body);
    this.finished = true;
  }
}

/**
 * 414 when the head overflowed while still in its request line (the URL is what is too long), 431
 * otherwise: host/http/client-error.ts tells them apart the same way.
 */
function headTooLarge(ptr: usize, limits: RequestLimits): Problem {
  for (let i: i32 = 0; i < limits.maxHeadBytes; i++) {
    if (load<u8>(ptr + <usize>i) == 0x0a) {
      return new Problem(
        431,
        'HeadersTooLargeException',
        'the request line and headers together are larger than ' + limits.maxHeadBytes.toString() + ' bytes',
      );
    }
  }
  return new Problem(
    414,
    'URITooLongException',
    'the request URL is far longer than the limit of ' + limits.maxUrlLength.toString() + ' characters',
  );
}
