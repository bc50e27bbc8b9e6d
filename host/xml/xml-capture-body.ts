// application/xml and text/xml request bodies of POST /capture and POST /events: read as they
// arrive, converted to the JSON the capture path takes (xml-document-reader.ts), and refused with
// problem+json naming the element when they cannot be. The XML is never held whole; its JSON
// rendering once.
import type { Readable } from 'node:stream';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { CaptureIssue } from '../core/types.js';
import { type Problem, problem } from '../http/problem.js';
import { elementPathOf } from './element-paths.js';
import { type XmlConversion, XmlDocumentReader, type XmlReaderLimits } from './xml-document-reader.js';
import { XmlInputError } from './xml-input-error.js';

export const XML_MEDIA_TYPES = ['application/xml', 'text/xml'];

/** A converted XML body, or why it was refused; what request.body holds after an XML upload. */
export type XmlBody = { kind: 'xml'; conversion: XmlConversion } | { kind: 'xml-refused'; problem: Problem };

export function isXmlBody(body: unknown): body is XmlBody {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && 'kind' in body;
}

export interface XmlBodyLimits extends XmlReaderLimits {
  /** CAPTURE_LIMIT_BYTES: the XML body's size limit, as for JSON. */
  maxBytes: number;
}

const CAPTURE_ROUTES = new Set(['/capture', '/events']);
const INITIAL_JSON_BYTES = 1024 * 1024;

export function registerXmlBodyParser(app: FastifyInstance, limits: XmlBodyLimits): void {
  app.addContentTypeParser(XML_MEDIA_TYPES, (request: FastifyRequest, payload: Readable) => {
    if (request.method !== 'POST' || !CAPTURE_ROUTES.has(request.routeOptions.url ?? '')) {
      return Promise.reject(unsupportedHere());
    }
    return readXmlBody(payload, request.headers['content-length'], limits);
  });
}

/** XML elsewhere is answered as any unsupported body is: 415 (create-app.ts translates it). */
function unsupportedHere(): Error {
  return new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE();
}

function readXmlBody(
  payload: Readable,
  contentLength: string | undefined,
  limits: XmlBodyLimits,
): Promise<XmlBody> {
  const declared = Number(contentLength);
  if (declared > limits.maxBytes) return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  // The JSON comes out about 0.7× the XML's size; a Content-Length is only a claim, so the buffer
  // starts at no more than 1 MiB and doubles as the JSON actually grows.
  const reader = new XmlDocumentReader(
    limits,
    Number.isFinite(declared) ? Math.min(declared, INITIAL_JSON_BYTES) : 64 * 1024,
  );
  return new Promise<XmlBody>((resolve, reject) => {
    let received = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    // A refused body is answered at once; node's HTTP server drains (or drops) what is left unread.
    const refuse = (error: unknown) => {
      stop();
      if (error instanceof XmlInputError) resolve({ kind: 'xml-refused', problem: xmlProblem(error) });
      else reject(error as Error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      try {
        reader.write(chunk);
      } catch (error) {
        refuse(error);
      }
    };
    const onEnd = () => {
      stop();
      try {
        resolve({ kind: 'xml', conversion: reader.end() });
      } catch (error) {
        refuse(error);
      }
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

function xmlProblem(error: XmlInputError): Problem {
  const where = error.elementPath === '' ? '' : `${error.elementPath}: `;
  if (error.refusal === 'too-many-events')
    return problem('CaptureLimitExceededException', `${where}${error.message}`, {
      elementPath: error.elementPath,
    });
  return problem('ValidationException', `${where}${error.message}`, { elementPath: error.elementPath });
}

interface IssueProblem extends Problem {
  eventIndex?: number;
  pointer?: string;
}

/**
 * The capture path's problem for an XML body: each validation error named by its element path
 * (`elementPath`), which also leads its `detail`, besides the JSON pointer of the JSON rendering.
 */
export function withElementPaths(found: Problem, conversion: XmlConversion): Problem {
  const errors = found['errors'];
  const translate = (issue: IssueProblem): IssueProblem => {
    if (typeof issue.eventIndex !== 'number' || typeof issue.pointer !== 'string') return issue;
    const elementPath = elementPathOf(conversion, issue.eventIndex, issue.pointer);
    if (elementPath === null) return issue;
    const prefix = issueDetailPrefix({ eventIndex: issue.eventIndex, pointer: issue.pointer, message: '' });
    const message = issue.detail.startsWith(prefix) ? issue.detail.slice(prefix.length) : issue.detail;
    return { ...issue, detail: `${elementPath}: ${message}`, elementPath };
  };
  if (!Array.isArray(errors)) return translate(found as IssueProblem);
  const translated = (errors as IssueProblem[]).map(translate);
  const shown = translated.slice(0, 5).map((issue) => issue.detail);
  const more = found.detail.match(/ \(and [^)]*\)$/)?.[0] ?? '';
  return { ...found, detail: `${shown.join('; ')}${more}`, errors: translated };
}

/** What host/capture/issue-problems.ts puts before an issue's message. */
function issueDetailPrefix(issue: CaptureIssue): string {
  const where = issue.eventIndex < 0 ? 'document' : `event ${issue.eventIndex}`;
  const field = issue.pointer === '' ? '' : ` at ${issue.pointer}`;
  return `${where}${field}: `;
}

/** What a capture route sends to the capture service, and how it words the service's refusals. */
export type CaptureBody =
  { ok: true; bytes: Buffer; explain: (found: Problem) => Problem } | { ok: false; problem: Problem };

const asIs = (found: Problem) => found;

/** The JSON bytes of a JSON or XML body; refusals of an XML body name elements, not JSON pointers. */
export function captureBody(body: unknown): CaptureBody {
  if (!isXmlBody(body)) return { ok: true, bytes: body as Buffer, explain: asIs };
  if (body.kind === 'xml-refused') return { ok: false, problem: body.problem };
  const { conversion } = body;
  return { ok: true, bytes: conversion.json, explain: (found) => withElementPaths(found, conversion) };
}
