// What the state-snapshot and service-restart specs compare between two cores: every answer a
// client can get about some identifiers, and the bytes HTTP sends for them.
import type { TrackerCore } from '../../../../host/core/gateway.js';

/** Everything a client can ask the index about these identifiers, and the bytes HTTP sends. */
export function answers(core: TrackerCore, ids: readonly string[]): unknown {
  // Memory figures differ by design (a restored heap grows at once; lookups fill a cache).
  const { epcs, events } = core.stats();
  return {
    counts: { epcs, events },
    ids: ids.map((id) => [
      core.state(id),
      core.contents(id),
      core.stateAnswer(id)?.toString('utf8') ?? null,
      core.contentsAnswer(id, 4, 1000)?.toString('utf8') ?? null,
    ]),
    brief: core.briefStates(ids.map((id) => core.canonical(id).value)),
  };
}
