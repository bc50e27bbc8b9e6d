// host/http/gs1-headers.ts captureLimitHeaders, as header lines: a 413 from POST /capture or
// POST /events announces the limits it exceeded (capture-routes.ts sets them on both).
import { Status } from '../../abi/status';
import { PreparedBatch } from '../../capture/prepare-document';
import { Problem } from '../problem';
import { Reply } from '../response-writer';
import { captureLimits } from './server-store';

export function captureLimitHeaderLines(): string {
  return (
    'GS1-EPCIS-Capture-Limit: ' +
    captureLimits.maxEvents.toString() +
    '\r\nGS1-EPCIS-Capture-File-Size-Limit: ' +
    captureLimits.maxDocumentBytes.toString() +
    '\r\nGS1-Capture-Error-Behaviour: rollback, proceed\r\n'
  );
}

/**
 * The 413 of a document over the capture limits (events or bytes), with the limit headers in
 * `reply`, for POST /capture and POST /events alike; null when it is within them. Releases the
 * batch's digests when it refuses.
 */
export function captureLimitProblem(batch: PreparedBatch, reply: Reply): Problem | null {
  if (batch.status != Status.TooLarge && batch.status != Status.TooManyEvents) return null;
  batch.digests.release();
  reply.extraHeaders = captureLimitHeaderLines();
  const issues = batch.issues.items;
  return new Problem(
    413,
    'CaptureLimitExceededException',
    issues.length > 0 ? issues[0].message : 'capture limit exceeded',
  );
}
