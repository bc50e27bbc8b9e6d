// One parsed request head and its body, reused by a connection for each of its requests.
import { Utf8Writer } from '../json/utf8-writer';

export class HttpRequest {
  method: string = '';
  /** The request-target as sent (origin form: path and query). */
  target: string = '';
  /** Bytes of the request-target on the wire (node counts the URL in bytes: it decodes it as latin1). */
  targetBytes: i32 = 0;
  path: string = '';
  /** After the first "?", without it; empty when there is none. */
  query: string = '';
  minorVersion: i32 = 1;
  keepAlive: bool = true;
  /** -1 when the request has no Content-Length. */
  contentLength: i64 = -1;
  chunked: bool = false;
  expectContinue: bool = false;
  hasHost: bool = false;
  accept: string | null = null;
  epcFormat: string | null = null;
  /** GS1-Capture-Error-Behaviour as sent (repeats joined with ", ", as node does). */
  captureErrorBehaviour: string | null = null;
  contentType: string | null = null;
  contentEncoding: string | null = null;
  /** The head as received (request line, fields, blank line), for forwarding it unchanged. */
  readonly head: Utf8Writer = new Utf8Writer(512);
  readonly body: Utf8Writer = new Utf8Writer(256);

  reset(): void {
    this.method = '';
    this.target = '';
    this.targetBytes = 0;
    this.path = '';
    this.query = '';
    this.minorVersion = 1;
    this.keepAlive = true;
    this.contentLength = -1;
    this.chunked = false;
    this.expectContinue = false;
    this.hasHost = false;
    this.accept = null;
    this.epcFormat = null;
    this.captureErrorBehaviour = null;
    this.contentType = null;
    this.contentEncoding = null;
    this.head.reset();
    this.body.reset();
  }

  /** Whether a body follows the head (a Content-Length above zero, or chunked). */
  @inline get hasBody(): bool {
    return this.chunked || this.contentLength > 0;
  }
}
