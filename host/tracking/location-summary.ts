// Where the nodes of a recall are now: node counts by effective bizLocation (the container's when
// the container was scanned later; null for nodes with no known location, lot classes included),
// most populated first, then by location so that equal counts keep a stable order.
export interface LocationCount {
  bizLocation: string | null;
  count: number;
}

export function summarizeByLocation(
  states: readonly ({ bizLocation: string | null } | null)[],
): LocationCount[] {
  const counts = new Map<string | null, number>();
  for (const state of states) {
    const key = state?.bizLocation ?? null;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([bizLocation, count]) => ({ bizLocation, count }))
    .sort((a, b) => b.count - a.count || orderNullLast(a.bizLocation, b.bizLocation));
}

function orderNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
