// host/http/gs1-headers.ts captureLimitHeaders, as header lines: a 413 from POST /capture or
// POST /events announces the limits it exceeded (capture-routes.ts sets them on both).
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
