// Answers a genealogy question in full (every node up to the limits, with each node's current state
// and, forward, the summary by location) and keeps the answer for the following pages: a page
// token fixes the snapshot seq, and the cache key includes it, so every page of one trace comes
// from the same computation while it is cached, and from the same stored events when it is not.
import type { TrackerCore } from '../core/gateway.js';
import type { BriefState } from '../core/types.js';
import type { QueryCache } from '../query-cache/query-cache.js';
import { type Direction, GenealogyEdges } from './genealogy-edges.js';
import { type LocationCount, summarizeByLocation } from './location-summary.js';
import { trace, type TraceNode, type TraceOrigin } from './trace.js';
import type { TrackingStore } from './tracking-store.js';

export interface TracedNode extends TraceNode {
  state: BriefState | null;
}

export interface TraceAnswer {
  origin: string;
  nodes: TracedNode[];
  truncation: { reason: string; limit: number } | null;
  summaryByLocation: LocationCount[];
}

export interface TraceRequest {
  /** The canonical identifier, or the transformationID / eventID as given. */
  origin: string;
  /** The origin as the client sent it (an eventID is matched as sent). */
  given: string;
  direction: Direction;
  depth: number;
  snapshotSeq: number;
}

export class TraceService {
  constructor(
    private readonly core: TrackerCore,
    private readonly store: TrackingStore,
    private readonly cache: QueryCache,
    private readonly nodeLimit: number,
  ) {}

  /** The whole answer, or null when nothing stored names the origin. */
  answer(request: TraceRequest): TraceAnswer | null {
    const key = `${request.direction}\u0000${request.depth}\u0000${request.origin}\u0000${request.given}`;
    return this.cache.getOrCompute(key, request.snapshotSeq, () => this.compute(request)).value;
  }

  private compute(request: TraceRequest): TraceAnswer | null {
    const origin = this.resolve(request);
    if (origin === null) return null;
    const edges = new GenealogyEdges(this.store, request.snapshotSeq);
    const found = trace(edges, origin, request.direction, request.depth, this.nodeLimit);
    const states = this.core.briefStates(found.nodes.map((n) => n.epc));
    return {
      origin: origin.kind === 'identifier' ? origin.id : origin.ref.via,
      nodes: found.nodes.map((node, i) => ({ ...node, state: states[i] ?? null })),
      truncation: found.truncation,
      summaryByLocation: request.direction === 'forward' ? summarizeByLocation(states) : [],
    };
  }

  /** An identifier some event names, else a transformationID, else a TransformationEvent's eventID. */
  private resolve(request: TraceRequest): TraceOrigin | null {
    if (this.store.isMentioned(request.origin)) return { kind: 'identifier', id: request.origin };
    if (this.store.isTransformation(request.origin, request.snapshotSeq))
      return {
        kind: 'transformation',
        ref: { transformationId: request.origin, seq: 0, via: request.origin },
      };
    const event = this.store.transformationEventById(request.given);
    if (event === null || event.seq > request.snapshotSeq) return null;
    return {
      kind: 'transformation',
      ref: {
        transformationId: event.transformationId,
        seq: event.seq,
        via: event.transformationId ?? request.given,
      },
    };
  }
}
