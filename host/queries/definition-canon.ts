// Identifier checking for stored query definitions. GET /events refuses an identifier whose GS1
// check digit is wrong (capture refuses it too, so it is most likely a typo the client wants to hear
// about). A named query is a published document, not a one-off request: OpenEPCIS's own
// SimpleEventQuery.json names the GLN 9521141123452, whose check digit is wrong, and it must be
// accepted. Such a value stays in the definition and matches nothing, exactly what it would match
// if it were allowed through GET /events; every other invalid identifier is still refused.
import type { TrackerCore } from '../core/gateway.js';
import { IdentifierStatus } from '../core/types.js';
import type { IdentifierCanon } from '../query/event-query.js';

export function definitionCanon(
  strict: IdentifierCanon,
  core: Pick<TrackerCore, 'canonical'>,
): IdentifierCanon {
  return {
    canonical: (id) => strict.canonical(id),
    isInvalid: (id) => {
      if (!strict.isInvalid(id)) return false;
      const result = core.canonical(id);
      return !(result.status === IdentifierStatus.Invalid && result.onlyCheckDigit);
    },
  };
}
