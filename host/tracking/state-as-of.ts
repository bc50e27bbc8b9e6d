// The state of an EPC at a past instant. The core's index holds only the present, and the state
// rules must not exist twice (here in TypeScript and in assembly/state), so the past is answered
// by the core itself: a scratch index inside it is filled with the stored events up to the instant
// that can affect the answer, then asked with the live index's own lookup.
//
// Which events: the state is a function of the SET of events, so any superset of the relevant
// facts gives the exact answer. The relevant ones are
// - every event naming the EPC (its registers, its containment register, its clears);
// - every event naming an EPC it shares an aggregation or association event with: its possible
//   containers (whose "remove all children" clears decide whether it is still inside) and its
//   possible children (whose own newest moves decide whether they are still inside it: childCount);
// - for the effective location and transit, every event naming each container up the chain it
//   is inside, found one level at a time (a container's events can only take the EPC out of it,
//   so the walk repeats until every container on the chain has its events applied).
// Events come reduced to the identifiers of interest (tracking-store.ts `eventsAbout`), so one
// that was applied for a smaller set of identifiers lacks those added later, and the core would
// ignore it when applied again (it is known by its hash). So each round starts from an empty
// scratch index with the whole set of interest; there are few rounds (the chain is short).
import type { TrackerCore } from '../core/gateway.js';
import type { TrackingStore } from './tracking-store.js';

/** Containers followed up the chain; the core's effective location looks as far. */
const MAX_CHAIN = 32;

/** The state answer of `epc` at `asOfMs` (the bytes GET /epcs/{epc}/state?asOf= sends), or null. */
export function stateAnswerAsOf(
  core: TrackerCore,
  store: TrackingStore,
  epc: string,
  asOfMs: number,
): Buffer | null {
  const interest = new Set<string>([epc, ...store.containmentNeighbours(epc, asOfMs)]);
  const replay = (): boolean => {
    core.resetScratch();
    const events = store.eventsAbout([...interest], asOfMs);
    if (events.length > 0) core.applyScratch(events);
    return events.length > 0;
  };
  try {
    if (!replay()) return null;
    for (let round = 0; round <= MAX_CHAIN; round++) {
      const missing = firstContainerNotReplayed(core, epc, interest);
      if (missing === null) break;
      interest.add(missing);
      replay();
    }
    return core.scratchStateAnswer(epc, asOfMs);
  } finally {
    // Frees the scratch index's memory now rather than at the next question about the past.
    core.resetScratch();
  }
}

/** Walks up the containers `epc` is inside in the scratch index; the first whose events are not applied. */
function firstContainerNotReplayed(
  core: TrackerCore,
  epc: string,
  replayed: ReadonlySet<string>,
): string | null {
  const seen = new Set<string>([epc]);
  let node = epc;
  for (let level = 0; level < MAX_CHAIN; level++) {
    const parent = core.scratchState(node)?.parent ?? null;
    if (parent === null || seen.has(parent)) return null;
    if (!replayed.has(parent)) return parent;
    seen.add(parent);
    node = parent;
  }
  return null;
}
