// Answers a genealogy question in full (every node up to the limits, with each node's current state
// and, forward, the summary by location) and keeps the answer for the following pages: a page
// token fixes the snapshot seq, and the cache key includes it, so every page of one trace comes
// from the same computation while it is cached, and from the same stored events when it is not
// (a walk cut by its time budget may then reach further or less far: the marker says which).
// Identical requests arriving while a walk runs share it (lru-cache fetch); a walk that fails is
// not kept. Walks run through the WalkGate; a request over its cap is answered "busy". Both cut
// walks and refused requests are counted (edgetrace_trace_truncated_total, _refused_total).
import { LRUCache } from 'lru-cache';
import type { TrackerCore } from '../core/gateway.js';
import type { BriefState } from '../core/types.js';
import { TurnSlicer } from '../event-loop/turn-slicer.js';
import type { Metrics } from '../metrics/metrics.js';
import { type Direction, GenealogyEdges } from './genealogy-edges.js';
import { type LocationCount, summarizeByLocation } from './location-summary.js';
import { TraceBudget } from './trace-budget.js';
import { trace, type TraceNode, type TraceOrigin, type Truncation } from './trace.js';
import type { TrackingStore } from './tracking-store.js';
import { WalkGate } from './walk-gate.js';

export interface TracedNode extends TraceNode {
  state: BriefState | null;
}

export interface TraceAnswer {
  origin: string;
  nodes: TracedNode[];
  truncation: Truncation | null;
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

export interface TraceServiceOptions {
  nodeLimit: number;
  /** TRACE_MAX_EDGES, TRACE_MAX_TIME and TRACE_MAX_CONCURRENT. */
  maxEdges: number;
  maxMs: number;
  maxConcurrent: number;
  /** cache_enabled, cache_ttl; `entries` full answers are kept (each up to ~20 MB). */
  cache: { enabled: boolean; ttlMs: number; entries: number };
}

export type TraceOutcome =
  | { kind: 'answer'; answer: TraceAnswer }
  /** Nothing stored names the origin. */
  | { kind: 'unknown' }
  /** Every walk slot is taken; a slot is free again within `retryAfterS`. */
  | { kind: 'busy'; retryAfterS: number };

// lru-cache keeps objects only; an unknown origin is kept as { answer: null }.
interface Kept {
  answer: TraceAnswer | null;
}

class WalkRefused extends Error {}

/** Identifiers per call into the core for their states: about a millisecond a call on an idle machine. */
const STATES_BATCH = 1000;
/**
 * Event-loop time per turn that all walks and trace pages share. Measured with ten clients on a
 * 2-core machine at load 17: 8 ms per walk (two walks a turn) let /health wait up to 300 ms.
 */
export const TRACE_SLICE_MS = 4;

export class TraceService {
  private readonly gate: WalkGate;
  /** The loop turns walks and the pages written from their answers share (trace-page-body.ts). */
  readonly turns = new TurnSlicer(TRACE_SLICE_MS);
  private readonly answers: LRUCache<string, Kept, TraceRequest> | null;

  constructor(
    private readonly core: TrackerCore,
    private readonly store: TrackingStore,
    private readonly options: TraceServiceOptions,
    private readonly metrics: Metrics['trace'],
  ) {
    this.gate = new WalkGate(options.maxConcurrent);
    this.answers = !options.cache.enabled
      ? null
      : new LRUCache<string, Kept, TraceRequest>({
          max: options.cache.entries,
          ttl: options.cache.ttlMs,
          ttlAutopurge: true,
          // An answer evicted while its walk still runs stays owed to the requests waiting for it.
          ignoreFetchAbort: true,
          fetchMethod: (_key, _stale, { context }) => this.compute(context),
        });
  }

  async answer(request: TraceRequest): Promise<TraceOutcome> {
    const key = [request.snapshotSeq, request.direction, request.depth, request.origin, request.given].join(
      '\u0000',
    );
    let kept: Kept | undefined;
    try {
      kept =
        this.answers === null
          ? await this.compute(request)
          : await this.answers.fetch(key, { context: request });
    } catch (error) {
      if (error instanceof WalkRefused) {
        this.metrics.refused.inc();
        return { kind: 'busy', retryAfterS: Math.max(1, Math.ceil(this.options.maxMs / 1000)) };
      }
      throw error;
    }
    if (kept === undefined) throw new Error(`the trace cache settled ${key} without an answer`);
    return kept.answer === null ? { kind: 'unknown' } : { kind: 'answer', answer: kept.answer };
  }

  /** Resolves the origin and walks in a free slot; throws WalkRefused when there is none (nothing is kept). */
  private async compute(request: TraceRequest): Promise<Kept> {
    const origin = this.resolve(request);
    if (origin === null) return { answer: null };
    const ran = await this.gate.run(() => this.walk(request, origin));
    if (ran === null) throw new WalkRefused();
    return { answer: ran.value };
  }

  private async walk(request: TraceRequest, origin: TraceOrigin): Promise<TraceAnswer> {
    const edges = new GenealogyEdges(this.store, request.snapshotSeq);
    const budget = new TraceBudget({
      maxEdges: this.options.maxEdges,
      maxMs: this.options.maxMs,
      turns: this.turns,
    });
    const found = await trace(edges, origin, request.direction, request.depth, {
      nodeLimit: this.options.nodeLimit,
      budget,
    });
    // Counted per walk, not per page or cached answer: how often the limits cut a genealogy short.
    if (found.truncation !== null) this.metrics.truncated.inc({ reason: found.truncation.reason });
    const states: (BriefState | null)[] = [];
    for (let at = 0; at < found.nodes.length; at += STATES_BATCH) {
      states.push(...this.core.briefStates(found.nodes.slice(at, at + STATES_BATCH).map((n) => n.epc)));
      await budget.breathe();
    }
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
