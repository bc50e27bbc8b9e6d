// The core reads request bodies as raw bytes of UTF-8 JSON (RFC 8259 §8.1). A body the client
// compressed, or encoded in another charset, would be read as something it is not: a gzip stream
// as malformed JSON, ISO-8859-1 text as mangled UTF-8. Both are refused with 415 instead.
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem, type Problem } from './problem.js';

/** The 415 for a request body we cannot read as sent; null when there is no body or it is fine. */
export function bodyEncodingProblem(headers: IncomingHttpHeaders): Problem | null {
  const length = headers['content-length'];
  const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return null;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return problem(
      'UnsupportedMediaTypeException',
      `Content-Encoding ${encoding} is not supported; send the body uncompressed`,
    );
  }
  const charset = charsetOf(headers['content-type']);
  if (charset !== null && charset !== 'utf-8') {
    return problem(
      'UnsupportedMediaTypeException',
      `charset=${charset} is not supported; JSON bodies are UTF-8 (Content-Type charset)`,
    );
  }
  return null;
}

/** The charset parameter of a media type, lowercased and unquoted (RFC 9110 §8.3.1); null if absent. */
function charsetOf(contentType: string | undefined): string | null {
  if (contentType === undefined) return null;
  for (const parameter of contentType.split(';').slice(1)) {
    const split = parameter.indexOf('=');
    if (split < 0 || parameter.slice(0, split).trim().toLowerCase() !== 'charset') continue;
    return parameter
      .slice(split + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return null;
}

/** Refuses such bodies before they are read; registered after access control, which answers first. */
export function registerBodyEncodingCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const refusal = bodyEncodingProblem(request.headers);
    if (refusal !== null) return sendProblem(reply, refusal);
  });
}
