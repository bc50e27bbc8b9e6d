// The edges of the genealogy graph, read from stored events (error declarations excluded, as the
// state index ignores them: the declared event's facts stand until corrective events, which are
// ordinary events, add their own). One call finds every edge out of a whole frontier of nodes.
//
// A transformation T is the set of TransformationEvents sharing a transformationID (one event when
// it has none); its inputs and outputs are the identifiers of their input/output EPC and quantity
// lists; an edge through it is `via` the transformationID, else the event's eventID. Other edges are
// `via` the eventID of the event that states them. Containment counts when an Aggregation- or
// AssociationEvent with a parentID asserts it: action ADD or OBSERVE (a DELETE says it ended).
//
// forward ("what did this become, where did it go": a recall)
//   output       n is an input of T            → each output of T
//   container    n is a child of aggregation E → E's parentID (the containers it was packed into)
//   association  n is a child of association E → E's parentID
//   and from the origin only, since following them from every node would pull in every sibling
//   of every pallet an item ever shared:
//   content      origin is the parentID of aggregation E → E's children (a container's contents)
//   content      origin is named in the quantityList of an ObjectEvent ADD → its epcList (a lot's
//                members: canonical instance identifiers do not carry the lot, so only events can
//                tie instances to a lot)
//   output       origin is a transformation → its outputs
// backward ("where did this come from")
//   input        n is an output of T           → each input of T (input lots included)
//   container    n is a child of aggregation E → E's parentID (the containers it travelled in)
//   association  n is the parentID of association E → E's children (what was associated with it)
//   and from the origin only:
//   content      origin is the parentID of aggregation E → E's children
//   input        origin is a transformation → its inputs
import type { EpcRole } from '../core/types.js';
import type { EventMention, TrackingStore } from './tracking-store.js';

export type Direction = 'forward' | 'backward';
export type Relation = 'input' | 'output' | 'container' | 'content' | 'association';

export interface Edge {
  from: string;
  to: string;
  relation: Relation;
  via: string;
}

const INPUTS: EpcRole[] = ['inputEPCList', 'inputQuantityList'];
const OUTPUTS: EpcRole[] = ['outputEPCList', 'outputQuantityList'];
const CHILDREN: EpcRole[] = ['childEPCs', 'childQuantityList'];

const asserts = (m: EventMention) => m.action === 'ADD' || m.action === 'OBSERVE';

/** A transformation origin: its transformationID, or the one TransformationEvent it is when it has none. */
export interface TransformationRef {
  transformationId: string | null;
  seq: number;
  via: string;
}

export class GenealogyEdges {
  constructor(
    private readonly store: TrackingStore,
    /** Only events stored up to this seq count: a paginated trace stays on one snapshot. */
    private readonly snapshotSeq: number,
  ) {}

  /** Every edge out of `nodes` in `direction`; `origin` adds the origin-only relations. */
  from(nodes: readonly string[], direction: Direction, origin: boolean): Edge[] {
    const forward = direction === 'forward';
    const roles: EpcRole[] = [...CHILDREN, ...(forward ? INPUTS : OUTPUTS)];
    if (origin || !forward) roles.push('parentID');
    if (origin && forward) roles.push('quantityList');
    const mentions = this.store.mentionsOf(nodes, roles, this.snapshotSeq);
    return [
      ...this.throughTransformations(mentions, forward),
      ...this.toContainers(mentions, forward),
      ...this.toChildren(mentions, forward, origin),
      ...(origin && forward ? this.toLotMembers(mentions) : []),
    ];
  }

  /** The edges out of a transformation origin: its outputs (forward) or inputs (backward). */
  fromTransformation(t: TransformationRef, direction: Direction): Edge[] {
    const roles = direction === 'forward' ? OUTPUTS : INPUTS;
    const relation: Relation = direction === 'forward' ? 'output' : 'input';
    const ids =
      t.transformationId !== null
        ? this.store
            .transformationParticipants([t.transformationId], roles, this.snapshotSeq)
            .map((p) => p.epc)
        : this.store.participantsOf([t.seq], roles).map((p) => p.epc);
    return ids.map((to) => ({ from: t.via, to, relation, via: t.via }));
  }

  private throughTransformations(mentions: readonly EventMention[], forward: boolean): Edge[] {
    const side = forward ? INPUTS : OUTPUTS;
    const other = forward ? OUTPUTS : INPUTS;
    const relation: Relation = forward ? 'output' : 'input';
    const hits = mentions.filter((m) => m.type === 'TransformationEvent' && side.includes(m.role));
    const grouped = hits.filter((m) => m.transformationId !== null);
    const single = hits.filter((m) => m.transformationId === null);
    const edges: Edge[] = [];
    if (grouped.length > 0) {
      const ids = [...new Set(grouped.map((m) => m.transformationId!))];
      const byId = new Map<string, string[]>();
      for (const p of this.store.transformationParticipants(ids, other, this.snapshotSeq)) {
        const list = byId.get(p.transformationId) ?? [];
        list.push(p.epc);
        byId.set(p.transformationId, list);
      }
      for (const m of grouped) {
        for (const to of byId.get(m.transformationId!) ?? [])
          edges.push({ from: m.epc, to, relation, via: m.transformationId! });
      }
    }
    if (single.length > 0) {
      const bySeq = groupBySeq(this.store.participantsOf(uniqueSeqs(single), other));
      for (const m of single) {
        for (const to of bySeq.get(m.seq) ?? []) edges.push({ from: m.epc, to, relation, via: m.eventId });
      }
    }
    return edges;
  }

  /** Children to the containers (and, forward, association parents) events put them into. */
  private toContainers(mentions: readonly EventMention[], forward: boolean): Edge[] {
    const hits = mentions.filter(
      (m) =>
        CHILDREN.includes(m.role) &&
        asserts(m) &&
        (m.type === 'AggregationEvent' || (forward && m.type === 'AssociationEvent')),
    );
    if (hits.length === 0) return [];
    const parents = this.store.parentsOf(uniqueSeqs(hits));
    return hits.flatMap((m) => {
      const to = parents.get(m.seq);
      if (to === undefined) return [];
      const relation: Relation = m.type === 'AggregationEvent' ? 'container' : 'association';
      return [{ from: m.epc, to, relation, via: m.eventId }];
    });
  }

  /** Parents to their children: the origin's contents, and (backward) association children. */
  private toChildren(mentions: readonly EventMention[], forward: boolean, origin: boolean): Edge[] {
    const hits = mentions.filter(
      (m) =>
        m.role === 'parentID' &&
        asserts(m) &&
        ((origin && m.type === 'AggregationEvent') || (!forward && m.type === 'AssociationEvent')),
    );
    if (hits.length === 0) return [];
    const bySeq = groupBySeq(this.store.participantsOf(uniqueSeqs(hits), CHILDREN));
    return hits.flatMap((m) => {
      const relation: Relation = m.type === 'AggregationEvent' ? 'content' : 'association';
      return (bySeq.get(m.seq) ?? []).map((to) => ({ from: m.epc, to, relation, via: m.eventId }));
    });
  }

  private toLotMembers(mentions: readonly EventMention[]): Edge[] {
    const hits = mentions.filter(
      (m) => m.role === 'quantityList' && m.type === 'ObjectEvent' && m.action === 'ADD',
    );
    if (hits.length === 0) return [];
    const bySeq = groupBySeq(this.store.participantsOf(uniqueSeqs(hits), ['epcList']));
    return hits.flatMap((m) =>
      (bySeq.get(m.seq) ?? []).map((to) => ({
        from: m.epc,
        to,
        relation: 'content' as const,
        via: m.eventId,
      })),
    );
  }
}

function uniqueSeqs(mentions: readonly EventMention[]): number[] {
  return [...new Set(mentions.map((m) => m.seq))];
}

function groupBySeq(participants: readonly { seq: number; epc: string }[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const p of participants) {
    const list = out.get(p.seq) ?? [];
    list.push(p.epc);
    out.set(p.seq, list);
  }
  return out;
}
