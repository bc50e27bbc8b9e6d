// Serialises responses into a connection's output buffer with the headers the Node service sends,
// in its order: fastify's own answers (content-type, the GS1 headers of host/http/gs1-headers.ts,
// content-length, Date, Connection, Keep-Alive) and node's pre-routing refusals
// (host/http/client-error.ts: capitalised names, GS1 headers last, no Date, always close).
import { Utf8Writer } from '../json/utf8-writer';
import { responseDate } from './http-date';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
/** fastify's keepAliveTimeout (72 s), announced on every keep-alive answer like node does. */
export const KEEP_ALIVE_TIMEOUT_S: i32 = 72;

const GS1_NAMES: string[] = [
  'GS1-EPCIS-Version',
  'GS1-EPCIS-Min',
  'GS1-EPCIS-Max',
  'GS1-CBV-Version',
  'GS1-CBV-Min',
  'GS1-CBV-Max',
  'GS1-Vendor-Version',
  'GS1-Extensions',
  'GS1-EPC-Format',
];
// fastify lower-cases the names it sets through reply.header(); node's raw refusals keep them as written.
const GS1_LOWER_NAMES: string[] = [
  'gs1-epcis-version',
  'gs1-epcis-min',
  'gs1-epcis-max',
  'gs1-cbv-version',
  'gs1-cbv-min',
  'gs1-cbv-max',
  'gs1-vendor-version',
  'gs1-extensions',
  'gs1-epc-format',
];
const GS1_VALUES: string[] = [
  '2.0.0',
  '2.0.0',
  '2.0.0',
  '2.0.0',
  '2.0.0',
  '2.0.0',
  'edgetrace/0.1.0',
  '',
  'Always_GS1_Digital_Link',
];

/** node's STATUS_CODES for the statuses this server sends. */
export function reasonPhrase(status: i32): string {
  switch (status) {
    case 100:
      return 'Continue';
    case 200:
      return 'OK';
    case 201:
      return 'Created';
    case 202:
      return 'Accepted';
    case 204:
      return 'No Content';
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 405:
      return 'Method Not Allowed';
    case 406:
      return 'Not Acceptable';
    case 408:
      return 'Request Timeout';
    case 409:
      return 'Conflict';
    case 413:
      return 'Payload Too Large';
    case 414:
      return 'URI Too Long';
    case 415:
      return 'Unsupported Media Type';
    case 429:
      return 'Too Many Requests';
    case 431:
      return 'Request Header Fields Too Large';
    case 500:
      return 'Internal Server Error';
    case 503:
      return 'Service Unavailable';
  }
  return 'Unknown';
}

/** What a route answers; the body bytes are in the writer passed to writeResponse. */
export class Reply {
  status: i32 = 200;
  contentType: string | null = null;
  allow: string | null = null;
  location: string | null = null;
  /** Further header lines, each ending in CRLF (the capture limit headers of a 413). */
  extraHeaders: string = '';
  /** GS1-EPC-Format negotiated by the route (POST /events sets it), in place of the default. */
  epcFormat: string | null = null;
  /** Close the connection after this answer (the request asked for it, or it cannot continue). */
  close: bool = false;

  reset(): void {
    this.status = 200;
    this.contentType = null;
    this.allow = null;
    this.location = null;
    this.extraHeaders = '';
    this.epcFormat = null;
    this.close = false;
  }
}

function header(out: Utf8Writer, name: string, value: string): void {
  out.ascii(name);
  out.ascii(': ');
  out.ascii(value);
  out.ascii('\r\n');
}

function statusLine(out: Utf8Writer, status: i32): void {
  out.ascii('HTTP/1.1 ');
  out.int(status);
  out.byte(0x20);
  out.ascii(reasonPhrase(status));
  out.ascii('\r\n');
}

/** A routed answer; `withBody` is false for HEAD (headers as for GET, no body bytes). */
export function writeResponse(out: Utf8Writer, reply: Reply, body: Utf8Writer, withBody: bool): void {
  statusLine(out, reply.status);
  const allow = reply.allow;
  if (allow !== null) header(out, 'allow', allow);
  const location = reply.location;
  if (location !== null) header(out, 'location', location);
  if (reply.extraHeaders.length > 0) out.ascii(reply.extraHeaders);
  // Set by the route, so fastify sends it before content-type and its onSend hook skips it.
  const epcFormat = reply.epcFormat;
  if (epcFormat !== null) header(out, 'gs1-epc-format', epcFormat);
  const type = reply.contentType;
  if (type !== null) header(out, 'content-type', type);
  // GS1-EPC-Format is the last of GS1_NAMES.
  const gs1Count = epcFormat !== null ? GS1_NAMES.length - 1 : GS1_NAMES.length;
  for (let i = 0; i < gs1Count; i++) header(out, unchecked(GS1_LOWER_NAMES[i]), unchecked(GS1_VALUES[i]));
  if (reply.status != 204) {
    out.ascii('content-length: ');
    out.int(body.length);
    out.ascii('\r\n');
  }
  header(out, 'Date', responseDate());
  if (reply.close) {
    out.ascii('Connection: close\r\n');
  } else {
    out.ascii('Connection: keep-alive\r\nKeep-Alive: timeout=');
    out.int(KEEP_ALIVE_TIMEOUT_S);
    out.ascii('\r\n');
  }
  out.ascii('\r\n');
  if (withBody && reply.status != 204) out.raw(body.ptr, body.length);
}

/** A refusal before routing (malformed or oversized head, too slow); the connection closes after it. */
export function writeRefusal(out: Utf8Writer, status: i32, body: Utf8Writer): void {
  statusLine(out, status);
  header(out, 'Content-Type', 'application/problem+json');
  out.ascii('Content-Length: ');
  out.int(body.length);
  out.ascii('\r\nConnection: close\r\n');
  for (let i = 0; i < GS1_NAMES.length; i++) header(out, unchecked(GS1_NAMES[i]), unchecked(GS1_VALUES[i]));
  out.ascii('\r\n');
  out.raw(body.ptr, body.length);
}

export function writeContinue(out: Utf8Writer): void {
  out.ascii('HTTP/1.1 100 Continue\r\n\r\n');
}
