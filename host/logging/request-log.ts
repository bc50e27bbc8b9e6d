// The request log. A line per request at info cost the hot paths more than the work they do (a
// pino child logger's line serialised and queued on stdout for every state lookup and every
// single-event capture: issue 12's profiles). So a request gets its line at info only when it is
// worth reading: it failed (status 400 and up, the client's mistakes and refusals included) or it
// was slow (LOG_SLOW_REQUEST_MS and longer). Every other request is logged at debug: LOG_LEVEL=debug
// logs them all, as info used to.
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';

export interface RequestLogLine {
  method: string;
  route: string;
  /** The request URL without its query string (which may carry page tokens). */
  url: string;
  status: number;
  ms: number;
}

/** The level a request's line is written at: info when it failed or was slow, else debug. */
export function requestLogLevel(status: number, ms: number, slowMs: number): 'info' | 'debug' {
  return status >= 400 || ms >= slowMs ? 'info' : 'debug';
}

/**
 * Writes the request's line to `log` (the request's child logger) if the service logger `root`
 * has its level enabled; builds nothing otherwise.
 */
export function logRequest(
  root: Pick<Logger, 'isLevelEnabled'>,
  log: FastifyBaseLogger,
  line: () => RequestLogLine,
  request: { status: number; ms: number; slowMs: number },
): void {
  const level = requestLogLevel(request.status, request.ms, request.slowMs);
  if (root.isLevelEnabled(level)) log[level](line(), 'request');
}
