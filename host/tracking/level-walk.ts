// Reads one level of a genealogy walk from the store, slice by slice: the frontier a chunk at a
// time (containers directly, hubs collected with the smallest node that met them), then each hub's
// targets a page at a time, each hub once per walk. Every read is charged to the walk's budget and
// followed by a chance to yield, so no stretch holds the event loop for more than one read.
import type { Direction, GenealogyEdges, HubEntry, TransformationRef } from './genealogy-edges.js';
import { LevelCandidates } from './level-candidates.js';
import type { TraceBudget } from './trace-budget.js';

/** Frontier nodes per mention read, and targets per hub page: about a millisecond a read when idle. */
export const FRONTIER_CHUNK = 250;
export const HUB_PAGE = 1000;

export type WalkOrigin =
  { kind: 'identifier'; id: string } | { kind: 'transformation'; ref: TransformationRef };

export class LevelWalk {
  readonly visited: Set<string>;
  /** Hubs read at an earlier level: all their targets are visited, so they are not read again. */
  private readonly expanded = new Set<string>();
  private readonly pause: () => Promise<void>;
  frontier: string[];

  constructor(
    private readonly edges: GenealogyEdges,
    private readonly origin: WalkOrigin,
    private readonly direction: Direction,
    private readonly budget: TraceBudget,
  ) {
    const originId = origin.kind === 'identifier' ? origin.id : origin.ref.via;
    this.visited = new Set([originId]);
    this.frontier = [originId];
    this.pause = () => budget.breathe();
  }

  /**
   * The unvisited nodes level `depth` reaches, with `room` nodes left under the node limit; null
   * when the budget ran out first. `probe` only asks whether there is any: it stops at the first.
   */
  async level(depth: number, room: number, probe = false): Promise<LevelCandidates | null> {
    const found = new LevelCandidates(this.visited, room);
    const hubs = new Map<string, HubEntry>();
    const meet = (entry: HubEntry) => {
      if (this.expanded.has(entry.hub.key)) return;
      const known = hubs.get(entry.hub.key);
      if (known === undefined || entry.from < known.from) hubs.set(entry.hub.key, entry);
    };
    if (depth === 1 && this.origin.kind === 'transformation') {
      const hub = this.edges.originHub(this.origin.ref, this.direction);
      meet({ hub, from: hub.via });
    } else {
      for (let at = 0; at < this.frontier.length; at += FRONTIER_CHUNK) {
        const step = this.edges.from(
          this.frontier.slice(at, at + FRONTIER_CHUNK),
          this.direction,
          depth === 1,
        );
        if (!this.budget.charge(step.read)) return null;
        for (const edge of step.edges) found.offer(edge.to, edge);
        for (const entry of step.hubs) meet(entry);
        if (probe && found.size > 0) return found;
        await this.settle(found);
        if (this.budget.exhausted !== null) return null;
      }
    }
    for (const entry of hubs.values()) {
      this.expanded.add(entry.hub.key);
      if (!(await this.readHub(entry, found, probe))) return null;
      if (probe && found.size > 0) return found;
    }
    return found;
  }

  visit(id: string): void {
    this.visited.add(id);
  }

  /** Offers every target of the hub; false when the budget ran out. */
  private async readHub(entry: HubEntry, found: LevelCandidates, probe: boolean): Promise<boolean> {
    const { hub, from } = entry;
    const head = { from, relation: hub.relation, via: hub.via };
    const seqs = this.edges.hubEvents(hub);
    if (!this.budget.charge(seqs.length)) return false;
    for (const seq of seqs) {
      let after = 0;
      for (;;) {
        const page = this.edges.hubTargets(hub, seq, after, HUB_PAGE);
        if (!this.budget.charge(page.length)) return false;
        for (const target of page) found.offer(target.epc, head);
        if (probe && found.size > 0) return true;
        await this.settle(found);
        if (this.budget.exhausted !== null) return false;
        if (page.length < HUB_PAGE) break;
        after = page[page.length - 1]!.row;
      }
    }
    return true;
  }

  private async settle(found: LevelCandidates): Promise<void> {
    await this.pause();
    await found.trim(this.pause);
  }
}
