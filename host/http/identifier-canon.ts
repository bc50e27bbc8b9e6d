// Identifier canonicalisation for the query and output paths, through the core (so matching uses
// exactly the rules capture used), with a bounded memo since the same IDs recur in queries.
import type { TrackerCore } from '../core/gateway.js';
import { IdentifierStatus, isRefusedIdentifier } from '../core/types.js';
import type { IdentifierCanon } from '../query/event-query.js';

const MAX_MEMO = 10_000;

export function createIdentifierCanon(
  core: TrackerCore,
): IdentifierCanon & { toDigitalLink(id: string): string } {
  const memo = new Map<string, { value: string; status: IdentifierStatus; refused: boolean }>();
  const lookup = (id: string) => {
    let found = memo.get(id);
    if (found === undefined) {
      const result = core.canonical(id);
      found = { value: result.value, status: result.status, refused: isRefusedIdentifier(result) };
      if (memo.size >= MAX_MEMO) memo.clear();
      memo.set(id, found);
    }
    return found;
  };
  return {
    canonical: (id) => lookup(id).value,
    isInvalid: (id) => lookup(id).refused,
    toDigitalLink: (id) => {
      const found = lookup(id);
      return found.status === IdentifierStatus.Canonical ? found.value : id;
    },
  };
}
