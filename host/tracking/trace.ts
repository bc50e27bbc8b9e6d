// Genealogy: breadth-first over the edges of genealogy-edges.ts from an origin (an EPC, a lot class,
// a transformationID or the eventID of a TransformationEvent). Each node is reported once, at its
// smallest depth (the visited set also ends cycles), reached through the smallest of the edges
// that reach it at that depth, ordered by (from, relation, via); nodes are listed by depth, then
// identifier. So the answer depends only on the stored events, never on their arrival order.
// Bounds, each ending the walk with a truncation marker:
//   depth        `depth` levels, when one more level would find new nodes;
//   node-limit   at most `nodeLimit` nodes: the level that would pass it is cut (its first
//                identifiers kept);
//   edge-budget, time-budget
//                the walk's work (trace-budget.ts): the answer holds the levels completed before
//                it ran out, since a level read in part could name a node by the wrong edge.
import type { Direction, GenealogyEdges, Relation } from './genealogy-edges.js';
import { LevelWalk, type WalkOrigin } from './level-walk.js';
import type { BudgetReason, TraceBudget } from './trace-budget.js';

/** Most nodes one trace collects; a recall of a larger fan-out is marked truncated. */
export const TRACE_NODE_LIMIT = 100_000;

export interface TraceNode {
  epc: string;
  depth: number;
  relation: Relation;
  via: string;
  from: string;
}

export type TruncationReason = 'node-limit' | 'depth' | BudgetReason;

export interface Truncation {
  reason: TruncationReason;
  /** The limit that ended the walk: nodes, levels, edges or milliseconds. */
  limit: number;
}

export interface TraceResult {
  nodes: TraceNode[];
  truncation: Truncation | null;
}

export type TraceOrigin = WalkOrigin;

export async function trace(
  edges: GenealogyEdges,
  origin: TraceOrigin,
  direction: Direction,
  maxDepth: number,
  limits: { nodeLimit: number; budget: TraceBudget },
): Promise<TraceResult> {
  const { nodeLimit, budget } = limits;
  const walk = new LevelWalk(edges, origin, direction, budget);
  const pause = () => budget.breathe();
  const nodes: TraceNode[] = [];
  const outOfBudget = (): TraceResult => {
    const reason = budget.exhausted ?? 'time-budget';
    return { nodes, truncation: { reason, limit: budget.limitOf(reason) } };
  };

  for (let depth = 1; depth <= maxDepth; depth++) {
    const room = nodeLimit - nodes.length;
    const found = await walk.level(depth, room);
    if (found === null) return outOfBudget();
    if (found.size === 0) return { nodes, truncation: null };
    const { ids, edges: reaching } = await found.sorted(pause);
    const kept = ids.slice(0, room);
    for (const id of kept) {
      const edge = reaching.get(id)!;
      nodes.push({ epc: id, depth, relation: edge.relation, via: edge.via, from: edge.from });
      walk.visit(id);
    }
    if (ids.length > room) return { nodes, truncation: { reason: 'node-limit', limit: nodeLimit } };
    walk.frontier = kept;
  }
  // The depth bound, not the graph, ended the walk when one more level would find new nodes.
  const beyond = await walk.level(maxDepth + 1, 1, true);
  if (beyond === null) return outOfBudget();
  return { nodes, truncation: beyond.size > 0 ? { reason: 'depth', limit: maxDepth } : null };
}
