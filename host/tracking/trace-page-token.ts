// nextPageToken of GET /trace: base64url(JSON {offset, snapshot seq, trace fingerprint, expiry})
// "." base64url(HMAC-SHA256), signed with the same secret as GET /events' tokens and refused the
// same way (forged, altered, other trace, expired). The snapshot seq keeps every page on the events
// stored when the first page was answered, so offsets stay meaningful while events keep arriving.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TracePosition {
  offset: number;
  snapshotSeq: number;
}

interface Payload {
  v: 1;
  o: number;
  s: number;
  f: string;
  x: number;
}

export function issueTraceToken(
  position: TracePosition,
  fingerprint: string,
  signing: { secret: Uint8Array; nowMs: number; ttlMs: number },
): { token: string; expiresAtMs: number } {
  const expiresAtMs = signing.nowMs + signing.ttlMs;
  const payload: Payload = {
    v: 1,
    o: position.offset,
    s: position.snapshotSeq,
    f: fingerprint,
    x: expiresAtMs,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { token: `${body}.${sign(body, signing.secret)}`, expiresAtMs };
}

/** The position a token names, or the sentence (after "nextPageToken ") that refuses it. */
export function openTraceToken(
  token: string,
  fingerprint: string,
  signing: { secret: Uint8Array; nowMs: number },
): { ok: true; position: TracePosition } | { ok: false; detail: string } {
  const [body, mac, ...rest] = token.split('.');
  if (body === undefined || mac === undefined || rest.length > 0 || !macMatches(body, mac, signing.secret))
    return { ok: false, detail: 'is not a page token this server issued; start again from the first page' };
  const payload = decode(body);
  if (payload === null)
    return { ok: false, detail: 'is not a page token this server issued; start again from the first page' };
  if (payload.f !== fingerprint)
    return {
      ok: false,
      detail: 'belongs to another trace; keep the identifier, direction and depth of the first page',
    };
  if (payload.x <= signing.nowMs)
    return {
      ok: false,
      detail: `expired at ${new Date(payload.x).toISOString()}; start again from the first page`,
    };
  return { ok: true, position: { offset: payload.o, snapshotSeq: payload.s } };
}

function sign(body: string, secret: Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function macMatches(body: string, mac: string, secret: Uint8Array): boolean {
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function decode(body: string): Payload | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Record<string, unknown>;
  const valid =
    p['v'] === 1 &&
    Number.isSafeInteger(p['o']) &&
    (p['o'] as number) >= 0 &&
    Number.isSafeInteger(p['s']) &&
    typeof p['f'] === 'string' &&
    Number.isSafeInteger(p['x']);
  return valid ? (p as unknown as Payload) : null;
}
