// The limits of node's HTTP server that protect the service from clients that are slow or send
// oversized request heads, as fastify options. Without them fastify leaves requestTimeout at 0:
// a POST with a Content-Length and no body held its request open forever, and slow headers got
// node's default 408 only after ~68 s (60 s headersTimeout, checked every 30 s).
import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { answerClientError, type ClientError, type RequestHeadLimits } from './client-error.js';

export interface ServerLimitSettings {
  maxUrlLength: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface ServerLimitOptions {
  http: ServerOptions;
  requestTimeout: number;
  /** fastify calls it bound to the app instance, whose logger it uses. */
  clientErrorHandler: (this: { log: FastifyBaseLogger }, error: ClientError, socket: Socket) => void;
}

// Room for the headers on top of the longest URL we accept: node's own default for the whole head.
// The head limit is sized so that a URL up to MAX_URL_LENGTH plus this much reaches the app, which
// answers 414 naming the exact limit; only longer heads meet node's cruder overflow check.
const HEADER_BYTES = 16 * 1024;
// How often node looks for connections past their timeouts (its default is 30 s, which made the
// timeouts 30 s late). Walking the connection list is cheap; 1 s keeps them within a second.
const MAX_CHECK_INTERVAL_MS = 1000;
const MIN_CHECK_INTERVAL_MS = 50;

export function serverLimitOptions(settings: ServerLimitSettings): ServerLimitOptions {
  const limits: RequestHeadLimits = {
    maxUrlLength: settings.maxUrlLength,
    maxHeadBytes: settings.maxUrlLength + HEADER_BYTES,
    headersTimeoutMs: settings.headersTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
  };
  const checkIntervalMs = Math.min(
    MAX_CHECK_INTERVAL_MS,
    Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(settings.headersTimeoutMs / 4)),
  );
  return {
    http: {
      maxHeaderSize: limits.maxHeadBytes,
      headersTimeout: settings.headersTimeoutMs,
      // Also set by fastify from the option below; given here too because node checks at creation
      // that headersTimeout is not longer than requestTimeout.
      requestTimeout: settings.requestTimeoutMs,
      connectionsCheckingInterval: checkIntervalMs,
    },
    requestTimeout: settings.requestTimeoutMs,
    clientErrorHandler(error, socket) {
      answerClientError(error, socket, limits, this.log);
    },
  };
}
