// Which requests this server answers itself. A route is native only where its answer is complete
// here; the rest (other methods on these paths, ?asOf=, jobs of other processes, an empty capture
// or event body, malformed percent-encodings) is the sidecar's, as every other path is.
import { jobs } from './capture/server-store';
import { HttpRequest } from './http-request';
import { percentDecode } from './percent-decode';
import { Problem } from './problem';

export enum Native {
  None,
  Health,
  Capture,
  Job,
  State,
  Contents,
  /** POST /events: a capture (scope `capture`, as host/app/create-app.ts maps it). */
  Events,
  /** GET /ready: the server's own readiness (routes/ready-route.ts). */
  Ready,
  /** GET /metrics/server: the server's own metrics; /metrics stays the sidecar's. */
  ServerMetrics,
}

const CAPTURE_PREFIX = '/capture/';
const EPCS_PREFIX = '/epcs/';
const STATE_SUFFIX = '/state';
const CONTENTS_SUFFIX = '/contents';

/** The captureID of GET /capture/{id}, decoded; empty when malformed. */
export function jobId(path: string): string {
  const id = percentDecode(path.substring(CAPTURE_PREFIX.length));
  return id === null ? '' : id;
}

/** The {epc} of /epcs/{epc}/state, decoded; null when the path is not that route's (or malformed). */
export function stateEpc(path: string): string | null {
  return epcOf(path, STATE_SUFFIX);
}

/** The {epc} of /epcs/{epc}/contents, decoded; null when the path is not that route's (or malformed). */
export function contentsEpc(path: string): string | null {
  return epcOf(path, CONTENTS_SUFFIX);
}

function epcOf(path: string, suffix: string): string | null {
  if (!path.startsWith(EPCS_PREFIX) || !path.endsWith(suffix)) return null;
  const raw = path.substring(EPCS_PREFIX.length, path.length - suffix.length);
  if (raw.length == 0 || raw.includes('/')) return null;
  return percentDecode(raw);
}

function hasParameter(query: string, name: string): bool {
  if (query.length == 0) return false;
  const pairs = query.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = unchecked(pairs[i]);
    const eq = pair.indexOf('=');
    if ((eq < 0 ? pair : pair.substring(0, eq)) == name) return true;
  }
  return false;
}

export function nativeRoute(req: HttpRequest): Native {
  const path = req.path;
  if (path == '/health') return Native.Health;
  if (path == '/ready') return Native.Ready;
  if (path == '/metrics/server') return Native.ServerMetrics;
  // XML capture bodies are the sidecar's: its streaming converter (host/xml) turns them into the
  // JSON this server's capture path reads, and one converter keeps one hash path.
  if (path == '/capture')
    return req.method == 'POST' && req.body.length > 0 && !xmlBody(req) ? Native.Capture : Native.None;
  if (path == '/events')
    return req.method == 'POST' && req.body.length > 0 && !xmlBody(req) ? Native.Events : Native.None;
  if (path.startsWith(CAPTURE_PREFIX)) {
    const id = jobId(path);
    return req.method == 'GET' && !id.includes('/') && jobs.has(id) ? Native.Job : Native.None;
  }
  if ((req.method == 'GET' || req.method == 'HEAD') && stateEpc(path) !== null) {
    return hasParameter(req.query, 'asOf') ? Native.None : Native.State;
  }
  if ((req.method == 'GET' || req.method == 'HEAD') && contentsEpc(path) !== null) return Native.Contents;
  return Native.None;
}

/** Whether the body is declared XML (application/xml, text/xml): the sidecar captures those. */
function xmlBody(req: HttpRequest): bool {
  const type = req.contentType;
  if (type === null) return false;
  const media = essence(type);
  return media == 'application/xml' || media == 'text/xml';
}

/** The media-type (parameters stripped, lowercased). */
function essence(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
}

/** host/http/body-encoding.ts charsetOf: the charset parameter, lowercased and unquoted. */
function charsetOf(contentType: string): string | null {
  const parameters = contentType.split(';');
  for (let i = 1; i < parameters.length; i++) {
    const parameter = unchecked(parameters[i]);
    const split = parameter.indexOf('=');
    if (split < 0 || parameter.substring(0, split).trim().toLowerCase() != 'charset') continue;
    let value = parameter.substring(split + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.substring(1, value.length - 1);
    return value.toLowerCase();
  }
  return null;
}

/** The 415s a capture body gets before it is read: encoding and charset (onRequest), then the type. */
export function bodyProblem(req: HttpRequest): Problem | null {
  const encoding = req.contentEncoding;
  if (encoding !== null && encoding.trim().toLowerCase() != 'identity') {
    return new Problem(
      415,
      'UnsupportedMediaTypeException',
      'Content-Encoding ' + encoding + ' is not supported; send the body uncompressed',
    );
  }
  const type = req.contentType;
  const charset: string | null = type === null ? null : charsetOf(type);
  if (charset !== null && charset != 'utf-8') {
    return new Problem(
      415,
      'UnsupportedMediaTypeException',
      'charset=' + charset + ' is not supported; JSON bodies are UTF-8 (Content-Type charset)',
    );
  }
  if (type === null || (essence(type) != 'application/json' && essence(type) != 'application/ld+json')) {
    return new Problem(
      415,
      'UnsupportedMediaTypeException',
      'send the body as application/json, application/ld+json or (capture only) application/xml',
    );
  }
  return null;
}
