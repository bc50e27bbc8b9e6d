// The request limits and timeouts, with the Node service's defaults (host/config/settings.ts and
// host/http/server-limits.ts), so both hosts refuse the same requests with the same answers.

export class RequestLimits {
  /** MAX_URL_LENGTH: longer request-targets get 414. */
  maxUrlLength: i32 = 8192;
  /** Request line and headers together (node's maxHeaderSize: MAX_URL_LENGTH + 16 KiB); then 431. */
  maxHeadBytes: i32 = 8192 + 16 * 1024;
  /** CAPTURE_LIMIT_BYTES: largest body; then 413. */
  maxBodyBytes: i32 = 16 * 1024 * 1024;
  /** HTTP_HEADERS_TIMEOUT: from a connection's first byte (or its accept) to the end of the head. */
  headersTimeoutMs: i64 = 10_000;
  /** HTTP_REQUEST_TIMEOUT: from the same start to the end of the body. */
  requestTimeoutMs: i64 = 60_000;
  /** fastify's keepAliveTimeout: an idle keep-alive connection is closed after it, silently. */
  keepAliveTimeoutMs: i64 = 72_000;
  /** Connections served at once; past it the listener is not polled until one closes. */
  maxConnections: i32 = 10_000;
}
