// nextPageToken of GET /trace: base64url(JSON {offset, snapshot seq, trace fingerprint, expiry})
// "." base64url(HMAC-SHA256), signed with the same secret as GET /events' tokens and refused the
// same way (forged, altered, other trace, expired). The snapshot seq keeps every page on the events
// stored when the first page was answered, so offsets stay meaningful while events keep arriving.
import { decodeTokenBody, signToken, verifiedTokenBody } from '../query/signed-token.js';

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
  return { token: signToken(payload, signing.secret), expiresAtMs };
}

/** The position a token names, or the sentence (after "nextPageToken ") that refuses it. */
export function openTraceToken(
  token: string,
  fingerprint: string,
  signing: { secret: Uint8Array; nowMs: number },
): { ok: true; position: TracePosition } | { ok: false; detail: string } {
  const body = verifiedTokenBody(token, signing.secret);
  if (body === null)
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

function decode(body: string): Payload | null {
  const p = decodeTokenBody(body);
  if (p === null) return null;
  const valid =
    p['v'] === 1 &&
    Number.isSafeInteger(p['o']) &&
    (p['o'] as number) >= 0 &&
    Number.isSafeInteger(p['s']) &&
    typeof p['f'] === 'string' &&
    Number.isSafeInteger(p['x']);
  return valid ? (p as unknown as Payload) : null;
}
