// The request as the sidecar receives it: the client's request line and fields as sent (Authorization
// and everything else the route may read), minus the hop-by-hop fields of this connection and any
// field that speaks for the connection, with the body re-framed by Content-Length (a chunked body was
// already decoded and bounded by the request cycle), the client's address, and the journal position
// the sidecar must have stored before it answers.
import { Utf8Writer } from '../../json/utf8-writer';
import { HttpRequest } from '../http-request';

/** Fields never passed on: this connection's framing, or what only this server may say. */
function dropped(ptr: usize, len: i32): bool {
  const name = String.UTF8.decodeUnsafe(ptr, <usize>len).toLowerCase();
  return (
    name == 'connection' ||
    name == 'keep-alive' ||
    name == 'proxy-connection' ||
    name == 'transfer-encoding' ||
    name == 'content-length' ||
    name == 'expect' ||
    name == 'te' ||
    name == 'upgrade' ||
    // Only this server says how far its journal is: a client cannot make the sidecar skip the wait.
    name == 'edgetrace-journal-seq' ||
    // The sidecar trusts X-Forwarded-* from loopback (fastify trustProxy: request.ip, host,
    // protocol): a client must not choose its own address, and so not its failed-auth count.
    name.startsWith('x-forwarded-') ||
    name == 'forwarded' ||
    name == 'x-real-ip'
  );
}

/**
 * Appends the forwarded request (head, then body) for `req`, whose raw head is `req.head`.
 * `clientAddress` is the client's IPv4 address (a.b.c.d as a big-endian u32, `peerAddress`), sent
 * as X-Forwarded-For; 0 (unknown: the client already went) sends none, and the sidecar sees loopback.
 */
export function writeForwardedRequest(
  out: Utf8Writer,
  req: HttpRequest,
  journalSeq: u64,
  clientAddress: u32,
): void {
  const start = req.head.ptr;
  const end = start + <usize>req.head.length;
  let line = start;
  let first = true;
  while (line < end) {
    let eol = line;
    while (eol < end && load<u8>(eol) != 0x0a) eol++;
    let contentEnd = eol;
    if (contentEnd > line && load<u8>(contentEnd - 1) == 0x0d) contentEnd--;
    const length = <i32>(contentEnd - line);
    if (length == 0) break;
    let colon = line;
    while (colon < contentEnd && load<u8>(colon) != 0x3a) colon++;
    if (first || colon == contentEnd || !dropped(line, <i32>(colon - line))) {
      out.raw(line, length);
      out.ascii('\r\n');
    }
    first = false;
    line = eol + 1;
  }
  const body = req.body;
  if (body.length > 0 || req.contentLength >= 0 || req.chunked) {
    out.ascii('Content-Length: ');
    out.int(body.length);
    out.ascii('\r\n');
  }
  if (clientAddress != 0) {
    out.ascii('X-Forwarded-For: ');
    out.uint(clientAddress >>> 24);
    out.ascii('.');
    out.uint((clientAddress >>> 16) & 255);
    out.ascii('.');
    out.uint((clientAddress >>> 8) & 255);
    out.ascii('.');
    out.uint(clientAddress & 255);
    out.ascii('\r\n');
  }
  out.ascii('Edgetrace-Journal-Seq: ');
  out.uint(journalSeq);
  out.ascii('\r\nConnection: keep-alive\r\n\r\n');
  if (body.length > 0) out.raw(body.ptr, body.length);
}
