// The edges of the genealogy graph, read from stored events (error declarations excluded, as the
// state index ignores them: the declared event's facts stand until corrective events, which are
// ordinary events, add their own).
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
//
// Every one-to-many step (a transformation's other side, an event's children or lot members) is a
// hub: the walk meets it from any number of nodes and reads its targets once, in pages. Expanding
// T once per reached input built |inputs| × |outputs| edges: 16 million for a 4,000 × 4,000
// transformation, before any limit applied. The many-to-one step (child → container) stays an edge.
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

/** An event, or every event of one transformation, whose identifiers in `roles` are all targets. */
export interface Hub {
  /** Identity within a walk: an expanded hub has no unvisited target left. */
  key: string;
  relation: Relation;
  via: string;
  /** The transformation whose events are read; null: just the event `seq`. */
  transformationId: string | null;
  seq: number;
  roles: readonly EpcRole[];
}

/** A hub met from one node of the frontier. */
export interface HubEntry {
  hub: Hub;
  from: string;
}

/** What one slice of the frontier leads to, and how many rows reading it took (the walk's cost). */
export interface FrontierStep {
  edges: Edge[];
  hubs: HubEntry[];
  read: number;
}

/** A transformation origin: its transformationID, or the one TransformationEvent it is when it has none. */
export interface TransformationRef {
  transformationId: string | null;
  seq: number;
  via: string;
}

const INPUTS: EpcRole[] = ['inputEPCList', 'inputQuantityList'];
const OUTPUTS: EpcRole[] = ['outputEPCList', 'outputQuantityList'];
const CHILDREN: EpcRole[] = ['childEPCs', 'childQuantityList'];
const MEMBERS: EpcRole[] = ['epcList'];

const asserts = (m: EventMention) => m.action === 'ADD' || m.action === 'OBSERVE';

function transformationHub(t: TransformationRef, forward: boolean): Hub {
  return {
    key: t.transformationId === null ? `e:${t.seq}` : `t:${t.transformationId}`,
    relation: forward ? 'output' : 'input',
    via: t.via,
    transformationId: t.transformationId,
    seq: t.seq,
    roles: forward ? OUTPUTS : INPUTS,
  };
}

function eventHub(m: EventMention, relation: Relation, roles: readonly EpcRole[]): Hub {
  return { key: `e:${m.seq}`, relation, via: m.eventId, transformationId: null, seq: m.seq, roles };
}

export class GenealogyEdges {
  constructor(
    private readonly store: TrackingStore,
    /** Only events stored up to this seq count: a paginated trace stays on one snapshot. */
    private readonly snapshotSeq: number,
  ) {}

  /** The edges and hubs out of `nodes` in `direction`; `origin` adds the origin-only relations. */
  from(nodes: readonly string[], direction: Direction, origin: boolean): FrontierStep {
    const forward = direction === 'forward';
    const roles: EpcRole[] = [...CHILDREN, ...(forward ? INPUTS : OUTPUTS)];
    if (origin || !forward) roles.push('parentID');
    if (origin && forward) roles.push('quantityList');
    const mentions = this.store.mentionsOf(nodes, roles, this.snapshotSeq);
    const containers = this.toContainers(mentions, forward);
    const hubs = mentions.flatMap((m) => {
      const hub = this.hubOf(m, forward, origin);
      return hub === null ? [] : [{ hub, from: m.epc }];
    });
    return { edges: containers.edges, hubs, read: mentions.length + containers.read };
  }

  /** The hub of a transformation origin: its outputs (forward) or inputs (backward). */
  originHub(t: TransformationRef, direction: Direction): Hub {
    return transformationHub(t, direction === 'forward');
  }

  /** The events whose participants are the hub's targets. */
  hubEvents(hub: Hub): number[] {
    return hub.transformationId === null
      ? [hub.seq]
      : this.store.transformationSeqs(hub.transformationId, this.snapshotSeq);
  }

  /** Up to `limit` targets of the hub named by event `seq`, after row `afterRow`, in row order. */
  hubTargets(hub: Hub, seq: number, afterRow: number, limit: number): { row: number; epc: string }[] {
    return this.store.participantPage(seq, hub.roles, afterRow, limit);
  }

  private hubOf(m: EventMention, forward: boolean, origin: boolean): Hub | null {
    if (m.type === 'TransformationEvent' && (forward ? INPUTS : OUTPUTS).includes(m.role))
      return transformationHub(
        { transformationId: m.transformationId, seq: m.seq, via: m.transformationId ?? m.eventId },
        forward,
      );
    if (m.role === 'parentID' && asserts(m)) {
      if (origin && m.type === 'AggregationEvent') return eventHub(m, 'content', CHILDREN);
      if (!forward && m.type === 'AssociationEvent') return eventHub(m, 'association', CHILDREN);
    }
    if (origin && forward && m.role === 'quantityList' && m.type === 'ObjectEvent' && m.action === 'ADD')
      return eventHub(m, 'content', MEMBERS);
    return null;
  }

  /** Children to the containers (and, forward, association parents) events put them into. */
  private toContainers(mentions: readonly EventMention[], forward: boolean): { edges: Edge[]; read: number } {
    const hits = mentions.filter(
      (m) =>
        CHILDREN.includes(m.role) &&
        asserts(m) &&
        (m.type === 'AggregationEvent' || (forward && m.type === 'AssociationEvent')),
    );
    if (hits.length === 0) return { edges: [], read: 0 };
    const parents = this.store.parentsOf([...new Set(hits.map((m) => m.seq))]);
    const edges = hits.flatMap((m) => {
      const to = parents.get(m.seq);
      if (to === undefined) return [];
      const relation: Relation = m.type === 'AggregationEvent' ? 'container' : 'association';
      return [{ from: m.epc, to, relation, via: m.eventId }];
    });
    return { edges, read: parents.size };
  }
}
