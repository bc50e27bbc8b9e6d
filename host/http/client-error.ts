// Errors node's HTTP server raises before fastify sees a request: a request head that is not
// HTTP/1.1, too large to read, or too slow to arrive (HTTP_HEADERS_TIMEOUT, HTTP_REQUEST_TIMEOUT).
// fastify would answer them in plain JSON; here they get problem+json like every other error,
// written straight to the socket, which is then closed: its parser cannot read further requests.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { versionHeaders } from './gs1-headers.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

export interface RequestHeadLimits {
  maxUrlLength: number;
  /** node's maxHeaderSize: request line and headers together. */
  maxHeadBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** What node attaches to a parse error (lib/_http_server.js, prepareError). */
export interface ClientError extends Error {
  code?: string;
  bytesParsed?: number;
  rawPacket?: unknown;
}

// Time the client gets to read the answer before the socket is destroyed: closing at once could
// reset the connection (RST) while request bytes are still unread, and the client would lose it.
const LINGER_MS = 1000;
const answered = new WeakSet<Socket>();

/** The problem to answer; null when there is nobody to answer (the client reset the connection). */
export function clientErrorProblem(error: ClientError, limits: RequestHeadLimits): Problem | null {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return null;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return problem(
      'RequestTimeoutException',
      `the request did not arrive in time: headers are allowed ${limits.headersTimeoutMs} ms, ` +
        `the whole request ${limits.requestTimeoutMs} ms`,
    );
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return overflowInRequestLine(error)
      ? problem(
          'URITooLongException',
          `the request URL is far longer than the limit of ${limits.maxUrlLength} characters`,
        )
      : problem(
          'HeadersTooLargeException',
          `the request line and headers together are larger than ${limits.maxHeadBytes} bytes`,
        );
  }
  return problem('ValidationException', `the request is not valid HTTP/1.1 (${error.code ?? error.message})`);
}

/**
 * fastify's clientErrorHandler. Writes the problem unless a response has started on the socket
 * (then only closing it is left), and answers each socket once: the parser keeps reporting the
 * same error for every later chunk.
 */
export function answerClientError(
  error: ClientError,
  socket: Socket,
  limits: RequestHeadLimits,
  log: FastifyBaseLogger,
): void {
  if (answered.has(socket) || socket.destroyed) return;
  answered.add(socket);
  const body = clientErrorProblem(error, limits);
  // Like the per-request log line; the client's mistake, not ours, so info and no stack.
  log.info(
    { status: body?.status ?? null, code: error.code, client: socket.remoteAddress },
    'request refused before routing',
  );
  // node's own server makes the same check before its default 400/408 (socketOnError).
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (body === null || !socket.writable || response?.headersSent === true) {
    socket.destroy();
    return;
  }
  socket.end(rawResponse(body));
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

function rawResponse(body: Problem): string {
  const json = JSON.stringify(body);
  const headers = {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(json)),
    Connection: 'close',
    ...versionHeaders(),
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? body.title}\r\n${lines.join('')}\r\n${json}`;
}

/**
 * Whether the head overflowed while still in its first line, i.e. the URL is what is too long.
 * node reports only the chunk being parsed: when that chunk starts the request and holds no line
 * break before the overflow, it is the request line. When the request line spans several chunks
 * this cannot be told from a header line, and the answer is the more general 431.
 */
function overflowInRequestLine(error: ClientError): boolean {
  const packet = error.rawPacket;
  if (!Buffer.isBuffer(packet) || error.bytesParsed === undefined) return false;
  const parsed = packet.subarray(0, error.bytesParsed).toString('latin1');
  return /^[A-Z]+ /.test(parsed) && !parsed.includes('\n');
}
