// The nodes one level of a genealogy walk reaches, each with the smallest edge reaching it (by
// from, relation, via), so that the answer depends only on the stored events. Memory stays bounded
// when a level is far wider than the node limit: only the `room` smallest identifiers can make the
// cut (plus one, which says the level was cut), so past twice that the larger ones are dropped.
// That is safe: the cut-off can only fall as more candidates arrive, so a dropped identifier would
// never have been kept, and one that was kept was never dropped.
// Candidates keep an EdgeHead (from, relation, via) without the target: every target of a hub
// shares its one head, so a 5,000-wide level adds map entries, not 5,000 edge objects, to what the
// garbage collector copies (young-generation pauses of 20-70 ms were measured under load).
import type { Edge } from './genealogy-edges.js';

export type EdgeHead = Omit<Edge, 'to'>;
import { sortInSlices } from './sort-in-slices.js';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function edgeOrder(a: EdgeHead, b: EdgeHead): number {
  return compare(a.from, b.from) || compare(a.relation, b.relation) || compare(a.via, b.via);
}

/** Candidates kept beyond twice the room before the larger ones are dropped. */
const TRIM_SLACK = 4096;

export class LevelCandidates {
  private readonly best = new Map<string, EdgeHead>();

  constructor(
    private readonly visited: ReadonlySet<string>,
    /** Nodes the walk may still add. */
    private readonly room: number,
  ) {}

  /** Reaching `to` through `head`; kept when it is the first or smallest edge reaching `to`. */
  offer(to: string, head: EdgeHead): void {
    if (this.visited.has(to)) return;
    const known = this.best.get(to);
    if (known === undefined || edgeOrder(head, known) < 0) this.best.set(to, head);
  }

  get size(): number {
    return this.best.size;
  }

  /** Drops the candidates that can no longer make the cut, once there are many more than room. */
  async trim(pause: () => Promise<void>): Promise<void> {
    if (this.best.size <= 2 * this.room + TRIM_SLACK) return;
    const ids = await sortInSlices([...this.best.keys()], pause);
    for (const id of ids.slice(this.room + 1)) this.best.delete(id);
  }

  /** The reached identifiers in order and the edge of each. */
  async sorted(pause: () => Promise<void>): Promise<{ ids: string[]; edges: ReadonlyMap<string, EdgeHead> }> {
    return { ids: await sortInSlices([...this.best.keys()], pause), edges: this.best };
  }
}
