// A deliberately plain second implementation of the tracking answers, for property tests: it takes
// the stored events exactly as GET /events returns them, sorts them by (eventTime, hash ID), and
// replays them one after the other with mutable per-EPC records, instead of the core's
// order-independent registers. Error declarations are skipped (the core ignores them), duplicates
// count once. Transit (a shipment's in_transit until a newer bizLocation) is replayed the same way. Genealogy edges are derived from the same event list by the relations documented in
// host/tracking/genealogy-edges.ts, and walked breadth-first with the same tie rules.

import type { StateView } from '../../host/tracking/state-view.js';

type Json = Record<string, unknown>;

interface Ev {
  index: number;
  eventId: string;
  timeMs: number;
  digest: string;
  type: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  epcList: string[];
  parent: string | null;
  children: string[];
  inputs: string[];
  outputs: string[];
  quantityClasses: string[];
  childClasses: string[];
  inputClasses: string[];
  outputClasses: string[];
  transformationId: string | null;
}

interface Rec {
  last: Ev | null;
  readPoint: Ev | null;
  bizLocation: Ev | null;
  disposition: Ev | null;
  /** Newest event naming it with disposition in_transit. */
  transit: Ev | null;
  commission: Ev | null;
  decommission: Ev | null;
  consumed: Ev | null;
  produced: Ev | null;
  parent: { epc: string; by: Ev } | null;
  associatedWith: string | null;
}

export interface OracleTreeNode {
  epc: string;
  childCount: number;
  children: OracleTreeNode[];
}

export interface OracleTraceNode {
  epc: string;
  depth: number;
  relation: string;
  via: string;
  from: string;
  state: {
    bizLocation: string | null;
    readPoint: string | null;
    disposition: string | null;
    decommissioned: boolean;
    inTransit: StateView['inTransit'];
  } | null;
}

export interface OracleTrace {
  origin: string;
  nodes: OracleTraceNode[];
  truncation: { reason: string; limit: number } | null;
  summaryByLocation: { bizLocation: string | null; inTransit: boolean; from: string | null; count: number }[];
}

const CBV = 'https://ref.gs1.org/cbv/';
const expand = (section: string, value: unknown): string | null =>
  typeof value !== 'string' ? null : value.includes(':') ? value : `${CBV}${section}${value}`;
const locationOf = (value: unknown): string | null =>
  typeof value === 'object' && value !== null && typeof (value as Json)['id'] === 'string'
    ? ((value as Json)['id'] as string)
    : null;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const classes = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map((q) => (q as Json)['epcClass']).filter((c): c is string => typeof c === 'string')
    : [];
const iso = (ms: number) => new Date(ms).toISOString();
const MAX_CHAIN = 32;
const IN_TRANSIT = `${CBV}Disp-in_transit`;
/** Whether register value `a` is later in event order than `b` (anything is later than none). */
const newer = (a: Ev | null, b: Ev | null): boolean => a !== null && (b === null || a.index > b.index);

function toEv(event: Json): Ev {
  const eventId = String(event['eventID']);
  return {
    index: 0,
    eventId,
    timeMs: Date.parse(String(event['eventTime'])),
    digest: /sha-256;([0-9a-f]{64})/.exec(eventId)?.[1] ?? '',
    type: String(event['type']),
    action: typeof event['action'] === 'string' ? event['action'] : null,
    bizStep: expand('BizStep-', event['bizStep']),
    disposition: expand('Disp-', event['disposition']),
    readPoint: locationOf(event['readPoint']),
    bizLocation: locationOf(event['bizLocation']),
    epcList: strings(event['epcList']),
    parent: typeof event['parentID'] === 'string' ? event['parentID'] : null,
    children: strings(event['childEPCs']),
    inputs: strings(event['inputEPCList']),
    outputs: strings(event['outputEPCList']),
    quantityClasses: classes(event['quantityList']),
    childClasses: classes(event['childQuantityList']),
    inputClasses: classes(event['inputQuantityList']),
    outputClasses: classes(event['outputQuantityList']),
    transformationId: typeof event['transformationID'] === 'string' ? event['transformationID'] : null,
  };
}

export class ReplayOracle {
  /** Every event but error declarations, once each, in (eventTime, hash) order. */
  private readonly events: Ev[];
  private readonly named = new Set<string>();

  constructor(stored: readonly Json[]) {
    const unique = new Map<string, Ev>();
    for (const event of stored) {
      const ev = toEv(event);
      for (const id of [
        ...ev.epcList,
        ...ev.children,
        ...ev.inputs,
        ...ev.outputs,
        ...ev.quantityClasses,
        ...ev.childClasses,
        ...ev.inputClasses,
        ...ev.outputClasses,
      ])
        this.named.add(id);
      if (ev.parent !== null) this.named.add(ev.parent);
      if (event['errorDeclaration'] === undefined) unique.set(ev.eventId, ev);
    }
    this.events = [...unique.values()].sort(
      (a, b) => a.timeMs - b.timeMs || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0),
    );
    this.events.forEach((e, i) => (e.index = i));
  }

  private replay(untilMs: number): Map<string, Rec> {
    const recs = new Map<string, Rec>();
    const rec = (epc: string, e: Ev): Rec => {
      let r = recs.get(epc);
      if (r === undefined) {
        r = {
          last: null,
          readPoint: null,
          bizLocation: null,
          disposition: null,
          transit: null,
          commission: null,
          decommission: null,
          consumed: null,
          produced: null,
          parent: null,
          associatedWith: null,
        };
        recs.set(epc, r);
      }
      r.last = e;
      if (e.readPoint !== null) r.readPoint = e;
      if (e.bizLocation !== null) r.bizLocation = e;
      if (e.disposition !== null) r.disposition = e;
      if (e.disposition === IN_TRANSIT) r.transit = e;
      return r;
    };
    for (const e of this.events) {
      if (e.timeMs > untilMs) break;
      if (e.parent !== null) rec(e.parent, e);
      for (const epc of e.epcList) {
        const r = rec(epc, e);
        if (e.type === 'ObjectEvent' && e.action === 'ADD') r.commission = e;
        if (e.type === 'ObjectEvent' && e.action === 'DELETE') r.decommission = e;
      }
      const containment = e.type === 'AggregationEvent' || e.type === 'AssociationEvent';
      const moves = containment && e.parent !== null && (e.action === 'ADD' || e.action === 'DELETE');
      for (const child of e.children) {
        const r = rec(child, e);
        if (!moves) continue;
        if (e.type === 'AggregationEvent') r.parent = e.action === 'ADD' ? { epc: e.parent!, by: e } : null;
        else r.associatedWith = e.action === 'ADD' ? e.parent : null;
      }
      if (moves && e.action === 'DELETE' && e.children.length === 0) {
        for (const r of recs.values()) {
          if (e.type === 'AggregationEvent' && r.parent?.epc === e.parent) r.parent = null;
          if (e.type === 'AssociationEvent' && r.associatedWith === e.parent) r.associatedWith = null;
        }
      }
      const transforms = e.type === 'TransformationEvent';
      for (const input of e.inputs) {
        const r = rec(input, e);
        if (transforms && r.consumed === null) r.consumed = e;
      }
      for (const output of e.outputs) {
        const r = rec(output, e);
        if (transforms && r.produced === null) r.produced = e;
        if (transforms) r.commission = e;
      }
    }
    return recs;
  }

  /**
   * Effective location: per field the newest among the EPC and the containers above it. In transit
   * when the newest in_transit event along that chain is not older than the newest bizLocation:
   * then no bizLocation, a readPoint only if read after leaving, and where it left kept apart.
   */
  private locate(recs: Map<string, Rec>, epc: string) {
    const own = recs.get(epc)!;
    let biz = own.bizLocation;
    let rp = own.readPoint;
    let transit = own.transit;
    let bizFrom = epc;
    let rpFrom = epc;
    let transitFrom = epc;
    let current = own;
    for (let i = 0; i < MAX_CHAIN && current.parent !== null && current.parent.epc !== epc; i++) {
      const up = current.parent.epc;
      current = recs.get(up)!;
      if (newer(current.bizLocation, biz)) {
        biz = current.bizLocation;
        bizFrom = up;
      }
      if (newer(current.readPoint, rp)) {
        rp = current.readPoint;
        rpFrom = up;
      }
      if (newer(current.transit, transit)) {
        transit = current.transit;
        transitFrom = up;
      }
    }
    let inTransit: StateView['inTransit'] = null;
    if (transit !== null && !newer(biz, transit)) {
      const readAfterLeaving = newer(rp, transit);
      inTransit = {
        since: iso(transit.timeMs),
        from: {
          bizLocation: biz?.bizLocation ?? null,
          readPoint: (readAfterLeaving ? transit : rp)?.readPoint ?? null,
        },
        via: transitFrom !== epc ? transitFrom : null,
      };
      biz = null;
      bizFrom = epc;
      if (!readAfterLeaving) {
        rp = null;
        rpFrom = epc;
      }
    }
    const via = bizFrom !== epc ? bizFrom : rpFrom !== epc ? rpFrom : null;
    return { bizLocation: biz?.bizLocation ?? null, readPoint: rp?.readPoint ?? null, via, inTransit };
  }

  state(epc: string, asOfMs: number | null = null): StateView | null {
    const recs = this.replay(asOfMs ?? Number.POSITIVE_INFINITY);
    const r = recs.get(epc);
    if (r === undefined) return null;
    const location = this.locate(recs, epc);
    const parentLocation = r.parent === null ? null : this.locate(recs, r.parent.epc);
    const decommissioned =
      r.decommission !== null && (r.commission === null || r.decommission.index > r.commission.index);
    return {
      epc,
      asOf: asOfMs === null ? null : iso(asOfMs),
      bizLocation: r.bizLocation?.bizLocation ?? null,
      readPoint: r.readPoint?.readPoint ?? null,
      disposition: r.disposition?.disposition ?? null,
      lastEvent:
        r.last === null
          ? null
          : { eventID: r.last.eventId, eventTime: iso(r.last.timeMs), bizStep: r.last.bizStep },
      parent:
        r.parent === null
          ? null
          : {
              epc: r.parent.epc,
              since: iso(r.parent.by.timeMs),
              bizLocation: parentLocation!.bizLocation,
              readPoint: parentLocation!.readPoint,
            },
      location: {
        bizLocation: location.bizLocation,
        readPoint: location.readPoint,
        source: location.via === null ? 'self' : 'container',
        via: location.via,
      },
      inTransit: location.inTransit,
      associatedWith: r.associatedWith,
      childCount: [...recs.values()].filter((c) => c.parent?.epc === epc).length,
      decommissioned,
      commissionedBy: r.commission?.eventId ?? null,
      decommissionedBy: r.decommission?.eventId ?? null,
      transformed: { consumedBy: r.consumed?.eventId ?? null, producedBy: r.produced?.eventId ?? null },
    };
  }

  contents(container: string, depth: number, limit: number) {
    const recs = this.replay(Number.POSITIVE_INFINITY);
    if (!recs.has(container)) return null;
    const childrenOf = (epc: string) =>
      [...recs.entries()]
        .filter(([, r]) => r.parent?.epc === epc)
        .map(([id]) => id)
        .sort();
    let total = 0;
    let truncated = false;
    const walk = (epc: string, levels: number): OracleTreeNode[] => {
      const out: OracleTreeNode[] = [];
      for (const kid of childrenOf(epc)) {
        if (kid === container) continue;
        if (total >= limit) {
          truncated = true;
          break;
        }
        total++;
        out.push({
          epc: kid,
          childCount: childrenOf(kid).length,
          children: levels > 1 ? walk(kid, levels - 1) : [],
        });
      }
      return out;
    };
    const children = walk(container, depth);
    return { container, depth, total, truncated, children };
  }

  trace(
    origin: string,
    direction: 'forward' | 'backward',
    maxDepth: number,
    limit: number,
  ): OracleTrace | null {
    const forward = direction === 'forward';
    const groups = new Map<string, { inputs: string[]; outputs: string[] }>();
    for (const e of this.events) {
      if (e.type !== 'TransformationEvent') continue;
      const key = e.transformationId ?? e.eventId;
      const g = groups.get(key) ?? { inputs: [], outputs: [] };
      g.inputs.push(...e.inputs, ...e.inputClasses);
      g.outputs.push(...e.outputs, ...e.outputClasses);
      groups.set(key, g);
    }
    type E = { from: string; to: string; relation: string; via: string };
    const general: E[] = [];
    for (const [key, g] of groups) {
      for (const i of g.inputs)
        for (const o of g.outputs)
          general.push(
            forward
              ? { from: i, to: o, relation: 'output', via: key }
              : { from: o, to: i, relation: 'input', via: key },
          );
    }
    const originOnly: E[] = [];
    for (const e of this.events) {
      const asserts = e.parent !== null && (e.action === 'ADD' || e.action === 'OBSERVE');
      const kids = [...e.children, ...e.childClasses];
      if (asserts && e.type === 'AggregationEvent') {
        for (const c of kids) general.push({ from: c, to: e.parent!, relation: 'container', via: e.eventId });
        if (e.parent === origin)
          for (const c of kids) originOnly.push({ from: origin, to: c, relation: 'content', via: e.eventId });
      }
      if (asserts && e.type === 'AssociationEvent') {
        for (const c of kids)
          general.push(
            forward
              ? { from: c, to: e.parent!, relation: 'association', via: e.eventId }
              : { from: e.parent!, to: c, relation: 'association', via: e.eventId },
          );
      }
      if (forward && e.type === 'ObjectEvent' && e.action === 'ADD' && e.quantityClasses.includes(origin))
        for (const m of e.epcList)
          originOnly.push({ from: origin, to: m, relation: 'content', via: e.eventId });
    }
    let originId = origin;
    if (!this.named.has(origin)) {
      const byEvent = this.events.find((e) => e.type === 'TransformationEvent' && e.eventId === origin);
      const key =
        groups.has(origin) && this.events.some((e) => e.transformationId === origin)
          ? origin
          : byEvent === undefined
            ? null
            : (byEvent.transformationId ?? byEvent.eventId);
      if (key === null) return null;
      originId = key;
      const g = groups.get(key)!;
      for (const id of forward ? g.outputs : g.inputs)
        originOnly.push({ from: key, to: id, relation: forward ? 'output' : 'input', via: key });
    }
    const visited = new Set([originId]);
    const nodes: Omit<OracleTraceNode, 'state'>[] = [];
    let frontier = new Set([originId]);
    let truncation: OracleTrace['truncation'] = null;
    const reach = (depth: number) => {
      const reached = new Map<string, E>();
      const candidates = [...general.filter((e) => frontier.has(e.from)), ...(depth === 1 ? originOnly : [])];
      for (const e of candidates) {
        if (visited.has(e.to)) continue;
        const known = reached.get(e.to);
        const key = (x: E) => [x.from, x.relation, x.via];
        if (known === undefined || compareTuples(key(e), key(known)) < 0) reached.set(e.to, e);
      }
      return reached;
    };
    for (let depth = 1; ; depth++) {
      if (depth > maxDepth) {
        if (reach(depth).size > 0) truncation = { reason: 'depth', limit: maxDepth };
        break;
      }
      const reached = reach(depth);
      if (reached.size === 0) break;
      const ids = [...reached.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const room = limit - nodes.length;
      for (const id of ids.slice(0, room)) {
        const e = reached.get(id)!;
        nodes.push({ epc: id, depth, relation: e.relation, via: e.via, from: e.from });
        visited.add(id);
      }
      if (ids.length > room) {
        truncation = { reason: 'node-limit', limit };
        break;
      }
      frontier = new Set(ids);
    }
    const recs = this.replay(Number.POSITIVE_INFINITY);
    const withState: OracleTraceNode[] = nodes.map((n) => {
      const r = recs.get(n.epc);
      if (r === undefined) return { ...n, state: null };
      const loc = this.locate(recs, n.epc);
      const decommissioned =
        r.decommission !== null && (r.commission === null || r.decommission.index > r.commission.index);
      return {
        ...n,
        state: {
          bizLocation: loc.bizLocation,
          readPoint: loc.readPoint,
          disposition: r.disposition?.disposition ?? null,
          decommissioned,
          inTransit: loc.inTransit,
        },
      };
    });
    // Groups: "at <bizLocation>", "in transit from <bizLocation | unknown>", "unknown"; sorted by
    // count, then located < in transit < unknown, then by the location (null last).
    const counts = new Map<string, number>();
    for (const n of withState) {
      const transit = n.state?.inTransit ?? null;
      const group =
        transit !== null ? ['transit', transit.from.bizLocation] : ['at', n.state?.bizLocation ?? null];
      const key = JSON.stringify(group[0] === 'at' && group[1] === null ? ['unknown', null] : group);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const rank = { at: 0, transit: 1, unknown: 2 } as const;
    const summaryByLocation = forward
      ? [...counts.entries()]
          .map(([key, count]) => {
            const [kind, place] = JSON.parse(key) as [keyof typeof rank, string | null];
            return { kind, place, count };
          })
          .sort(
            (a, b) =>
              b.count - a.count ||
              rank[a.kind] - rank[b.kind] ||
              (a.place === b.place
                ? 0
                : a.place === null
                  ? 1
                  : b.place === null
                    ? -1
                    : a.place < b.place
                      ? -1
                      : 1),
          )
          .map(({ kind, place, count }) => ({
            bizLocation: kind === 'at' ? place : null,
            inTransit: kind === 'transit',
            from: kind === 'transit' ? place : null,
            count,
          }))
      : [];
    return { origin: originId, nodes: withState, truncation, summaryByLocation };
  }
}

function compareTuples(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}
