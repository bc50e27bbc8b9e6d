// Where the nodes of a recall are now: node counts by effective bizLocation (the container's when
// the container was scanned later). Nodes in transit are counted apart, by the bizLocation they
// left from: a recall planner acts on "3 on their way from the plant" quite unlike "3 at the
// plant" or "3 somewhere unknown". Nodes with no known location (lot classes included) make one
// group with bizLocation null, inTransit false. Most populated first; equal counts in a stable
// order: located groups by bizLocation, then in transit by origin, then the unknown ones.
import type { BriefState } from '../core/types.js';

export interface LocationCount {
  /** Where the nodes are now; null for those in transit or with no known location. */
  bizLocation: string | null;
  /** Whether the group is on its way (shipped with disposition in_transit, not arrived yet). */
  inTransit: boolean;
  /** For a group in transit, the bizLocation it left from (null when unknown); null otherwise. */
  from: string | null;
  count: number;
}

type Located = Pick<BriefState, 'bizLocation' | 'inTransit'>;

export function summarizeByLocation(states: readonly (Located | null)[]): LocationCount[] {
  const groups = new Map<string, LocationCount>();
  for (const state of states) {
    const group = groupOf(state);
    const key = JSON.stringify([group.bizLocation, group.inTransit, group.from]);
    const known = groups.get(key);
    if (known === undefined) groups.set(key, group);
    else known.count++;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || compareGroups(a, b));
}

function groupOf(state: Located | null): LocationCount {
  if (state !== null && state.inTransit !== null)
    return { bizLocation: null, inTransit: true, from: state.inTransit.from.bizLocation, count: 1 };
  return { bizLocation: state?.bizLocation ?? null, inTransit: false, from: null, count: 1 };
}

/** Located groups first, then those in transit, then the unknown one; by location within each. */
function compareGroups(a: LocationCount, b: LocationCount): number {
  return rank(a) - rank(b) || orderNullLast(a.bizLocation ?? a.from, b.bizLocation ?? b.from);
}

function rank(group: LocationCount): number {
  if (group.bizLocation !== null) return 0;
  return group.inTransit ? 1 : 2;
}

function orderNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
