// One HTTP POST of a delivery to a subscriber's dest: the EPCISQueryDocument bytes, signed. Only a
// 2xx answer counts as delivered; redirects are not followed (the signature and the subscription are
// for dest, not for wherever it points).
//
// The receiver is not trusted. fetch() read whole answers and decoded gzip: a receiver answering
// 2 GiB took the process to 6.4 GB RSS, a 1 MiB gzip bomb to 2.2 GB. Here node:http sends
// `Accept-Encoding: identity` and never decodes, at most MAX_ANSWER_BYTES of the answer are read
// before the socket is destroyed, and one deadline covers lookup, connect, send and answer. The
// connection goes only to addresses the DestinationPolicy checked (its lookup, or the literal address).
// Failures are reported in the few words a client may see in lastError: naming the network error
// would let whoever creates subscriptions map internal hosts and ports.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type DestinationPolicy } from './destination-policy.js';
import { gs1Signature, SIGNATURE_HEADER } from './gs1-signature.js';

/** The answer's status decides the outcome; its body is read only this far, then dropped. */
export const MAX_ANSWER_BYTES = 4096;

export type DeliveryFailure =
  'refused by policy' | 'unreachable' | 'timed out' | 'cancelled' | `HTTP ${number}`;

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; reason: DeliveryFailure };

export interface DeliveryRequest {
  dest: string;
  body: Uint8Array;
  signatureToken: string | null;
  /** One deadline for the whole attempt, from lookup to the end of the answer. */
  timeoutMs: number;
  /** Aborts the attempt when the subscription is deleted or the service stops. */
  signal: AbortSignal;
  destinations: DestinationPolicy;
}

export function postDelivery(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const url = new URL(request.dest);
  if (!request.destinations.allowsLiteral(url)) {
    return Promise.resolve({ ok: false, reason: 'refused by policy' });
  }
  if (request.signal.aborted) return Promise.resolve({ ok: false, reason: 'cancelled' });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': request.body.byteLength,
    'accept-encoding': 'identity',
  };
  if (request.signatureToken !== null)
    headers[SIGNATURE_HEADER] = gs1Signature(request.body, request.signatureToken);

  return new Promise((settle) => {
    let outgoing: ClientRequest | null = null;
    let answer: IncomingMessage | null = null;
    let done = false;
    const finish = (outcome: DeliveryOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      request.signal.removeEventListener('abort', cancel);
      answer?.destroy();
      outgoing?.destroy();
      settle(outcome);
    };
    const byStatus = (status: number): DeliveryOutcome =>
      status >= 200 && status < 300 ? { ok: true, status } : { ok: false, reason: `HTTP ${status}` };
    const cancel = (): void => finish({ ok: false, reason: 'cancelled' });
    // An answer whose status arrived in time counts by its status, even if its body is cut short.
    const deadline = setTimeout(
      () => finish(answer === null ? { ok: false, reason: 'timed out' } : byStatus(answer.statusCode ?? 0)),
      request.timeoutMs,
    );
    request.signal.addEventListener('abort', cancel, { once: true });

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    try {
      outgoing = send(
        url,
        {
          method: 'POST',
          headers,
          lookup: request.destinations.lookup,
          // A fresh connection per attempt: nothing half-read is pooled, and a destroyed one is not reused.
          agent: false,
        },
        (response) => {
          answer = response;
          const status = response.statusCode ?? 0;
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.byteLength;
            if (read >= MAX_ANSWER_BYTES) finish(byStatus(status));
          });
          response.on('end', () => finish(byStatus(status)));
          response.on('error', () => finish(byStatus(status)));
        },
      );
    } catch {
      // e.g. a dest that URL accepts but http.request does not (an invalid port for the protocol).
      finish({ ok: false, reason: 'unreachable' });
      return;
    }
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        reason: error.code === 'EDESTINATIONREFUSED' ? 'refused by policy' : 'unreachable',
      }),
    );
    outgoing.end(request.body);
  });
}
