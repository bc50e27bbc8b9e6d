// One page of the GET /trace answer (contracts.md §A) as tracking-routes.ts sends it: the whole
// trace's counts and summary, and the nodes of this page.
import type { Direction } from './genealogy-edges.js';
import type { TraceAnswer } from './trace-service.js';

export interface TracePage extends TraceAnswer {
  direction: Direction;
  depth: number;
  /** Nodes in the whole trace, over all pages. */
  total: number;
  truncated: boolean;
}
