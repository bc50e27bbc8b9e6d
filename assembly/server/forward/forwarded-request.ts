// The request as the sidecar receives it: the client's request line and fields as sent (Authorization
// and everything else the route may read), minus the hop-by-hop fields of this connection, with the
// body re-framed by Content-Length (a chunked body was already decoded and bounded by the request
// cycle) and the journal position the sidecar must have stored before it answers.
import { Utf8Writer } from '../../json/utf8-writer';
import { HttpRequest } from '../http-request';

/** Fields that describe the client's connection or framing, not the request: never passed on. */
function hopByHop(ptr: usize, len: i32): bool {
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
    name == 'edgetrace-journal-seq'
  );
}

/** Appends the forwarded request (head, then body) for `req`, whose raw head is `req.head`. */
export function writeForwardedRequest(out: Utf8Writer, req: HttpRequest, journalSeq: u64): void {
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
    if (first || colon == contentEnd || !hopByHop(line, <i32>(colon - line))) {
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
  out.ascii('Edgetrace-Journal-Seq: ');
  out.uint(journalSeq);
  out.ascii('\r\nConnection: keep-alive\r\n\r\n');
  if (body.length > 0) out.raw(body.ptr, body.length);
}
