// The envelope shared by GET /events' and GET /trace's nextPageToken: base64url(JSON payload) "."
// base64url(HMAC-SHA256 of that text). Each token kind checks its own payload fields and refuses in
// its own words; this module only signs, verifies the signature and decodes the JSON object.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signToken(payload: object, secret: Uint8Array): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** The payload text of a token signed with `secret`; null when it is malformed, forged or altered. */
export function verifiedTokenBody(token: string, secret: Uint8Array): string | null {
  const [body, mac, ...rest] = token.split('.');
  if (body === undefined || mac === undefined || rest.length > 0) return null;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? body : null;
}

/** The JSON object a token body holds, or null when it holds anything else. */
export function decodeTokenBody(body: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function sign(body: string, secret: Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
