// Genealogy: breadth-first over the edges of genealogy-edges.ts from an origin (an EPC, a lot class,
// a transformationID or the eventID of a TransformationEvent). Each node is reported once, at its
// smallest depth (the visited set also ends cycles), reached through the smallest of the edges
// that reach it at that depth, ordered by (from, relation, via); nodes are listed by depth, then
// identifier. So the answer depends only on the stored events, never on their arrival order.
// Bounds: `depth` levels, and at most `nodeLimit` nodes: the level that would pass the limit is
// cut (its first identifiers kept) and the answer says so (truncation marker).
import type { Direction, Edge, GenealogyEdges, Relation, TransformationRef } from './genealogy-edges.js';

/** Most nodes one trace collects; a recall of a larger fan-out is marked truncated. */
export const TRACE_NODE_LIMIT = 100_000;

export interface TraceNode {
  epc: string;
  depth: number;
  relation: Relation;
  via: string;
  from: string;
}

export interface TraceResult {
  nodes: TraceNode[];
  truncation: { reason: 'node-limit' | 'depth'; limit: number } | null;
}

export type TraceOrigin =
  { kind: 'identifier'; id: string } | { kind: 'transformation'; ref: TransformationRef };

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function edgeOrder(a: Edge, b: Edge): number {
  return compare(a.from, b.from) || compare(a.relation, b.relation) || compare(a.via, b.via);
}

export function trace(
  edges: GenealogyEdges,
  origin: TraceOrigin,
  direction: Direction,
  maxDepth: number,
  nodeLimit: number = TRACE_NODE_LIMIT,
): TraceResult {
  const originId = origin.kind === 'identifier' ? origin.id : origin.ref.via;
  const visited = new Set<string>([originId]);
  const nodes: TraceNode[] = [];
  let frontier: string[] = [originId];
  const step = (depth: number): Edge[] =>
    depth === 1 && origin.kind === 'transformation'
      ? edges.fromTransformation(origin.ref, direction)
      : edges.from(frontier, direction, depth === 1);

  for (let depth = 1; depth <= maxDepth; depth++) {
    const reached = newlyReached(step(depth), visited);
    if (reached.size === 0) return { nodes, truncation: null };
    const ids = [...reached.keys()].sort(compare);
    const room = nodeLimit - nodes.length;
    for (const id of ids.slice(0, room)) {
      const edge = reached.get(id)!;
      nodes.push({ epc: id, depth, relation: edge.relation, via: edge.via, from: edge.from });
      visited.add(id);
    }
    if (ids.length > room) return { nodes, truncation: { reason: 'node-limit', limit: nodeLimit } };
    frontier = ids;
  }
  // The depth bound, not the graph, ended the walk when one more level would find new nodes.
  const beyond = newlyReached(step(maxDepth + 1), visited);
  return { nodes, truncation: beyond.size > 0 ? { reason: 'depth', limit: maxDepth } : null };
}

/** The unvisited targets of `edges`, each with the smallest edge reaching it. */
function newlyReached(edges: readonly Edge[], visited: ReadonlySet<string>): Map<string, Edge> {
  const reached = new Map<string, Edge>();
  for (const edge of edges) {
    if (visited.has(edge.to)) continue;
    const known = reached.get(edge.to);
    if (known === undefined || edgeOrder(edge, known) < 0) reached.set(edge.to, edge);
  }
  return reached;
}
