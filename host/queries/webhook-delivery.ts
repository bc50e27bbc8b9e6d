// One HTTP POST of a delivery to a subscriber's dest: the EPCISQueryDocument bytes, signed, with a
// timeout. Only a 2xx answer counts as delivered; redirects are not followed (the signature and the
// subscription are for dest, not for wherever it points), and the answer body is discarded.
import { gs1Signature, SIGNATURE_HEADER } from './gs1-signature.js';

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; reason: string };

export interface DeliveryRequest {
  dest: string;
  body: Uint8Array;
  signatureToken: string | null;
  timeoutMs: number;
  /** Aborts the attempt when the subscription is deleted or the service stops. */
  signal: AbortSignal;
}

export async function postDelivery(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.signatureToken !== null)
    headers[SIGNATURE_HEADER] = gs1Signature(request.body, request.signatureToken);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetch(request.dest, {
      method: 'POST',
      headers,
      // The bytes are signed as they are; fetch sends them unchanged.
      body: request.body as Uint8Array<ArrayBuffer>,
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, timeout]),
    });
    // Read the answer to the end so the connection can be reused; its content does not matter.
    await response.arrayBuffer();
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, reason: `dest answered ${response.status}` };
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: `dest did not answer within ${request.timeoutMs} ms` };
    if (request.signal.aborted) return { ok: false, reason: 'delivery cancelled' };
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return { ok: false, reason: `cannot reach dest: ${cause}` };
  }
}
