// Parses a complete request head (request line + header fields, RFC 9112 §2-5) already found in the
// receive buffer. Strict where ambiguity would let two parsers disagree about where a request ends
// (request smuggling): Content-Length with Transfer-Encoding, differing Content-Lengths, obs-fold
// and a coding other than chunked last are refused, as node's llhttp refuses them. Failures are
// Problem values named after llhttp's error codes, the text the Node service puts in its answer.
import { HttpRequest } from './http-request';
import { Problem } from './problem';

const CR: u8 = 0x0d;
const LF: u8 = 0x0a;
const SP: u8 = 0x20;
const HTAB: u8 = 0x09;
const COLON: u8 = 0x3a;

export function malformed(code: string): Problem {
  return new Problem(400, 'ValidationException', 'the request is not valid HTTP/1.1 (' + code + ')');
}

/** RFC 9110 tchar: the characters of methods and header names. */
function isTokenChar(c: u8): bool {
  if (c >= 0x30 && c <= 0x39) return true; // 0-9
  if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return true; // letters
  return (
    c == 0x21 ||
    (c >= 0x23 && c <= 0x27) ||
    c == 0x2a ||
    c == 0x2b ||
    c == 0x2d ||
    c == 0x2e ||
    c == 0x5e ||
    c == 0x5f ||
    c == 0x60 ||
    c == 0x7c ||
    c == 0x7e
  );
}

/** Index just past the blank line that ends the head, searching from `from`; -1 if not there yet. */
export function findHeadEnd(ptr: usize, len: i32, from: i32): i32 {
  for (let i = max(from, 3); i < len; i++) {
    if (
      load<u8>(ptr + <usize>i) == LF &&
      load<u8>(ptr + <usize>i - 1) == CR &&
      load<u8>(ptr + <usize>i - 2) == LF &&
      load<u8>(ptr + <usize>i - 3) == CR
    )
      return i + 1;
  }
  return -1;
}

function ascii(ptr: usize, start: i32, end: i32): string {
  return String.UTF8.decodeUnsafe(ptr + <usize>start, <usize>(end - start));
}

function lowerEquals(ptr: usize, start: i32, end: i32, lower: string): bool {
  if (end - start != lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((load<u8>(ptr + <usize>(start + i)) | 0x20) != <u8>lower.charCodeAt(i)) return false;
  }
  return true;
}

function hasToken(list: string, token: string): bool {
  const parts = list.toLowerCase().split(',');
  for (let i = 0; i < parts.length; i++) if (unchecked(parts[i]).trim() == token) return true;
  return false;
}

/** Fills `req` from the head in [ptr, ptr+len) (which ends in CRLF CRLF); null or the refusal. */
export function parseHead(ptr: usize, len: i32, req: HttpRequest): Problem | null {
  req.reset();
  let i = 0;
  while (i < len && isTokenChar(load<u8>(ptr + <usize>i))) i++;
  if (i == 0 || load<u8>(ptr + <usize>i) != SP) return malformed('HPE_INVALID_METHOD');
  req.method = ascii(ptr, 0, i);
  const targetStart = ++i;
  while (i < len) {
    const c = load<u8>(ptr + <usize>i);
    if (c == SP) break;
    if (c <= 0x20 || c == 0x7f) return malformed('HPE_INVALID_URL');
    i++;
  }
  if (i == targetStart || i >= len) return malformed('HPE_INVALID_URL');
  req.target = ascii(ptr, targetStart, i);
  req.targetBytes = i - targetStart;
  const question = req.target.indexOf('?');
  req.path = question < 0 ? req.target : req.target.substring(0, question);
  req.query = question < 0 ? '' : req.target.substring(question + 1);
  i++;
  if (len - i < 10 || ascii(ptr, i, i + 7) != 'HTTP/1.') return malformed('HPE_INVALID_VERSION');
  const minor = load<u8>(ptr + <usize>(i + 7));
  if (minor != 0x30 && minor != 0x31) return malformed('HPE_INVALID_VERSION');
  req.minorVersion = <i32>(minor - 0x30);
  i += 8;
  if (load<u8>(ptr + <usize>i) != CR || load<u8>(ptr + <usize>(i + 1)) != LF)
    return malformed('HPE_CR_EXPECTED');
  i += 2;
  let connection: string | null = null;
  let transferEncoding: string | null = null;
  while (i < len - 2) {
    const nameStart = i;
    while (i < len && isTokenChar(load<u8>(ptr + <usize>i))) i++;
    if (i == nameStart || load<u8>(ptr + <usize>i) != COLON) return malformed('HPE_INVALID_HEADER_TOKEN');
    const nameEnd = i++;
    while (i < len && (load<u8>(ptr + <usize>i) == SP || load<u8>(ptr + <usize>i) == HTAB)) i++;
    const valueStart = i;
    while (i < len && load<u8>(ptr + <usize>i) != CR) {
      const c = load<u8>(ptr + <usize>i);
      if ((c < 0x20 && c != HTAB) || c == 0x7f) return malformed('HPE_INVALID_HEADER_TOKEN');
      i++;
    }
    let valueEnd = i;
    while (
      valueEnd > valueStart &&
      (load<u8>(ptr + <usize>(valueEnd - 1)) == SP || load<u8>(ptr + <usize>(valueEnd - 1)) == HTAB)
    )
      valueEnd--;
    if (i + 1 >= len || load<u8>(ptr + <usize>(i + 1)) != LF) return malformed('HPE_LF_EXPECTED');
    i += 2;
    // A continuation line (obs-fold) would change what the previous field means: refused.
    if (i < len && (load<u8>(ptr + <usize>i) == SP || load<u8>(ptr + <usize>i) == HTAB))
      return malformed('HPE_INVALID_HEADER_TOKEN');
    const problem = readField(ptr, nameStart, nameEnd, valueStart, valueEnd, req);
    if (problem !== null) return problem;
    if (lowerEquals(ptr, nameStart, nameEnd, 'connection')) connection = ascii(ptr, valueStart, valueEnd);
    else if (lowerEquals(ptr, nameStart, nameEnd, 'transfer-encoding')) {
      const value = ascii(ptr, valueStart, valueEnd);
      transferEncoding = transferEncoding === null ? value : transferEncoding + ',' + value;
    }
  }
  if (transferEncoding !== null) {
    const codings = transferEncoding.toLowerCase().split(',');
    if (codings[codings.length - 1].trim() != 'chunked') return malformed('HPE_INVALID_TRANSFER_ENCODING');
    if (req.contentLength >= 0) return malformed('HPE_UNEXPECTED_CONTENT_LENGTH');
    req.chunked = true;
  }
  if (req.minorVersion == 1 && !req.hasHost) return malformed('missing Host header');
  req.keepAlive =
    connection === null
      ? req.minorVersion == 1
      : req.minorVersion == 1
        ? !hasToken(connection, 'close')
        : hasToken(connection, 'keep-alive');
  return null;
}

/** The fields the server acts on; the rest are passed over. */
function readField(
  ptr: usize,
  nameStart: i32,
  nameEnd: i32,
  valueStart: i32,
  valueEnd: i32,
  req: HttpRequest,
): Problem | null {
  if (lowerEquals(ptr, nameStart, nameEnd, 'content-length')) {
    if (valueEnd == valueStart || valueEnd - valueStart > 15) return malformed('HPE_INVALID_CONTENT_LENGTH');
    let n: i64 = 0;
    for (let j = valueStart; j < valueEnd; j++) {
      const c = load<u8>(ptr + <usize>j);
      if (c < 0x30 || c > 0x39) return malformed('HPE_INVALID_CONTENT_LENGTH');
      n = n * 10 + <i64>(c - 0x30);
    }
    if (req.contentLength >= 0 && req.contentLength != n) return malformed('HPE_UNEXPECTED_CONTENT_LENGTH');
    req.contentLength = n;
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'host')) {
    req.hasHost = true;
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'expect')) {
    req.expectContinue = ascii(ptr, valueStart, valueEnd).toLowerCase() == '100-continue';
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'accept')) {
    const value = ascii(ptr, valueStart, valueEnd);
    const earlier = req.accept;
    req.accept = earlier === null ? value : earlier + ', ' + value;
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'gs1-epc-format')) {
    req.epcFormat = ascii(ptr, valueStart, valueEnd);
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'gs1-capture-error-behaviour')) {
    const value = ascii(ptr, valueStart, valueEnd);
    const earlier = req.captureErrorBehaviour;
    req.captureErrorBehaviour = earlier === null ? value : earlier + ', ' + value;
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'content-type')) {
    req.contentType = ascii(ptr, valueStart, valueEnd);
  } else if (lowerEquals(ptr, nameStart, nameEnd, 'content-encoding')) {
    const value = ascii(ptr, valueStart, valueEnd);
    const earlier = req.contentEncoding;
    req.contentEncoding = earlier === null ? value : earlier + ', ' + value;
  }
  return null;
}
