// GET /epcs/{epc}/state natively from the server's state index (fed by the journal), answered as
// host/http/routes/tracking-routes.ts answers it: the GS1-EPC-Format refusals first, then the
// state view of host/tracking/state-view.ts in its schema's key order, 400 for an identifier the
// Node service refuses, 404 for one no event names. `?asOf=` reads stored history: the sidecar's.
import { writeStateAnswer } from '../../abi/state-answer';
import { Status } from '../../abi/status';
import { canonicalIdentifier } from '../../identifiers/canonical';
import { IdentifierStatus } from '../../identifiers/identifier-status';
import { Utf8Writer } from '../../json/utf8-writer';
import { stateIndex } from '../capture/server-store';
import { Problem } from '../problem';
import { JSON_TYPE, Reply } from '../response-writer';

// host/core/types.ts CHECKED_PRIMARY_KEYS: keys whose check digit is enforced on lookups.
const CHECKED_PRIMARY_KEYS: string[] = ['01', '00', '414', '417'];

/** negotiateEpcFormat's refusals (host/http/epc-format.ts), or null when the format is served. */
export function epcFormatProblem(header: string | null): Problem | null {
  if (header === null) return null;
  const value = header.trim();
  if (value == 'Always_GS1_Digital_Link' || value == 'Never_Translates' || value == 'No_Preference')
    return null;
  if (value == 'Always_EPC_URN') {
    return new Problem(
      406,
      'NotAcceptableException',
      'this server cannot translate GS1 Digital Links to EPC URNs offline (that needs the GS1 Company Prefix length); ask for Always_GS1_Digital_Link or Never_Translates',
    );
  }
  return new Problem(
    400,
    'QueryParameterException',
    'GS1-EPC-Format must be No_Preference, Always_GS1_Digital_Link, Always_EPC_URN or Never_Translates',
  );
}

/** isRefusedIdentifier of host/core/types.ts. */
export function isRefusedIdentifier(id: string): bool {
  const result = canonicalIdentifier(id);
  return (
    result.status == IdentifierStatus.Invalid &&
    !(result.onlyCheckDigit && !CHECKED_PRIMARY_KEYS.includes(result.primaryAi))
  );
}

/** Writes the state of `epc` (already percent-decoded); false when the index does not know it. */
export function answerState(epc: string, reply: Reply, body: Utf8Writer): bool {
  // The core's own answer writer (abi/state-answer.ts): the Node service sends the same bytes.
  if (writeStateAnswer(stateIndex, epc, false, 0, body) != Status.Ok) return false;
  reply.status = 200;
  reply.contentType = JSON_TYPE;
  return true;
}

/** The answer for an identifier the index does not know: 400 when the Node service refuses it, else 404. */
export function unknownEpcProblem(epc: string): Problem {
  if (isRefusedIdentifier(epc)) {
    return new Problem(
      400,
      'QueryParameterException',
      '"' + epc + '" is not a valid EPC URI or GS1 Digital Link',
      'epc',
    );
  }
  return new Problem(
    404,
    'NoSuchResourceException',
    'no event names ' +
      epc +
      ' as an item or container (lot classes and locations have no state; try GET /trace or GET /events)',
  );
}
