// GS1-Signature of webhook deliveries. The OpenAPI leaves the scheme to the implementation; ours is
// `sha256=<lower-case hex HMAC-SHA256 of the exact request body bytes, keyed with signatureToken>`
// (the form GitHub's X-Hub-Signature-256 made familiar). A receiver recomputes it over the raw body
// it received, before parsing, and compares in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'GS1-Signature';
const PREFIX = 'sha256=';

export function gs1Signature(body: Uint8Array, signatureToken: string): string {
  return PREFIX + createHmac('sha256', signatureToken).update(body).digest('hex');
}

/** Whether `header` is the signature of `body` under `signatureToken`. */
export function verifyGs1Signature(
  body: Uint8Array,
  signatureToken: string,
  header: string | undefined,
): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(gs1Signature(body, signatureToken));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
