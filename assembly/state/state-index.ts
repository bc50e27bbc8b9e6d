// The current-state index: for every EPC, where it is and what last happened to it. The host
// rebuilds it at start by replaying stored events and queries it on the hot path.
//
// Contract: the state is a pure function of the SET of applied events. Applying the same events
// in any order, any number of times, gives the same answers. Event order is (eventTime in UTC ms,
// then the 32-byte SHA-256 digest compared bytewise). Each piece of state is a register holding
// the event that won it; an event wins a register only when it is later in event order (earlier,
// for the two first-writer registers), so a late-arriving old event never overwrites newer facts.
// An event is identified by its digest: applying a digest again is a no-op.
//
// Rules:
// - Every EPC an event names (epcList, parentID, childEPCs, inputs, outputs) is observed: it gets
//   lastEvent, with that event's time and bizStep (null when it has none). readPoint, bizLocation
//   and disposition come from the newest naming event that CARRIES the field: an event without a
//   bizLocation leaves the location as it was.
// - ObjectEvent ADD commissions its EPCs and DELETE decommissions them; whichever of the newest
//   ADD and the newest DELETE is newer decides `decommissioned` (an ADD after a DELETE revives).
// - AggregationEvent ADD puts each child into parentID. DELETE with childEPCs takes each listed
//   child out, whatever container it was in: the newest fact about the child is that it left a
//   container, and checking it was in that one would need history. DELETE without childEPCs
//   clears parentID: children put in by older events leave, newer ADDs stay. OBSERVE changes no
//   containment; ADD/DELETE without parentID only observe. So: an EPC is inside P when its newest
//   ADD/DELETE is an ADD into P that is newer than P's newest clear.
// - AssociationEvent: the same rules for the separate associatedWith relation (parentID may be a
//   location; like any identifier it gets a record and counts in epcCount).
// - TransactionEvent and extension event types: observations only.
// - TransformationEvent: inputs are consumed, consumedBy = the OLDEST consuming event: an
//   instance is consumed once, a later listing cannot undo the first, and the first is what a
//   recall starts from. Outputs are produced, producedBy = the OLDEST producing event (their
//   origin), and they count as commissioned (the newest-wins commission register, so a DELETE
//   after the production decommissions them).
// - Events carrying an errorDeclaration are ignored: they repeat the declared event, whose effects
//   stay until corrective events, being newer, overwrite them.
// - Containment does not overwrite: a case inside a pallet keeps its own last bizLocation. Lookups
//   add an effective location on top (effective-location.ts): per field, the newest value
//   among the EPC and the containers it is inside now, walking up a bounded number of levels
//   (the index accepts P inside C and C inside P). It lives here, not in the host, so that the
//   live answer, the as-of answer (a scratch index) and batch lookups share one rule.
// - Transit: each EPC keeps its newest event with disposition in_transit (a register like the
//   others). CBV 2.0 says with that disposition that the object is being moved between locations,
//   and the normal shape of a shipment (bizStep shipping, disposition in_transit) carries no
//   bizLocation because the goods are at none. The bizStep alone does not start a transit: a
//   shipping step also covers staging at the origin, and it is the disposition that states the
//   goods' condition. The transit lasts until a newer event carrying a bizLocation (receiving,
//   arriving); other dispositions in between (damaged, say) leave it in transit. Items inherit it
//   through their containers by the effective-location rule, which then answers no current
//   bizLocation and keeps where it left apart.
//
// Memory: EPC records (40 bytes + the packed key), events (64 bytes) and the hash tables live in
// unmanaged arenas (epc-layout.ts, epc-table.ts, event-table.ts); the only managed objects are
// the interned vocabulary strings and a small cache of event-ID strings.

import { EpcState } from './epc-state';
import { EpcTable } from './epc-table';
import { EventIds } from './event-ids';
import { EventTable } from './event-table';
import { InternTable } from './intern-table';
import { Relation } from './relation';
import { EventApplier } from './event-applier';
import { StateEvent } from './state-event';
import { StateQueries } from './state-queries';
import { reserveHeap } from './heap-reserve';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';
import {
  EPC_AGGREGATION_CHILD,
  EXT_ASSOCIATION_CHILD,
  EXT_AGGREGATION_CONTAINER,
  EXT_ASSOCIATION_CONTAINER,
} from './epc-layout';

export class StateIndex {
  private epcs: EpcTable = new EpcTable();
  private events: EventTable = new EventTable();
  private interns: InternTable = new InternTable();
  private eventIds: EventIds = new EventIds(this.interns);
  private aggregation: Relation = new Relation(
    this.epcs,
    this.events,
    false,
    EPC_AGGREGATION_CHILD,
    EXT_AGGREGATION_CONTAINER,
  );
  private association: Relation = new Relation(
    this.epcs,
    this.events,
    true,
    EXT_ASSOCIATION_CHILD,
    EXT_ASSOCIATION_CONTAINER,
  );
  private applier: EventApplier = new EventApplier(
    this.epcs,
    this.events,
    this.interns,
    this.eventIds,
    this.aggregation,
    this.association,
  );
  private queries: StateQueries = new StateQueries(
    this.epcs,
    this.events,
    this.interns,
    this.eventIds,
    this.aggregation,
    this.association,
  );

  apply(ev: StateEvent): void {
    this.applier.apply(ev);
  }

  /**
   * Prepares for about `epcs` EPCs and `events` events in total (a replay: the host knows both
   * counts from its store), so that the hash tables never rehash and the heap grows once instead
   * of doubling. Only a hint: more or fewer may follow.
   */
  reserve(epcs: i32, events: i32): void {
    const wantEpcs = <u32>max(epcs, 0);
    const wantEvents = <u32>max(events, 0);
    const haveEpcs = <u32>this.epcs.count;
    const haveEvents = <u32>this.events.count;
    this.epcs.reserve(wantEpcs);
    this.events.reserve(wantEvents);
    const moreEpcs: u64 = wantEpcs > haveEpcs ? wantEpcs - haveEpcs : 0;
    const moreEvents: u64 = wantEvents > haveEvents ? wantEvents - haveEvents : 0;
    reserveHeap(moreEpcs * EPC_BYTES_ESTIMATE + moreEvents * EVENT_BYTES_ESTIMATE);
  }

  /** Fills `out` with the state of `epc`; false (and `out` cleared) when the EPC is unknown. */
  lookup(epc: string, out: EpcState): bool {
    return this.queries.lookup(epc, out);
  }

  /** Like `lookup`, filling only the effective location, disposition and `decommissioned`. */
  brief(epc: string, out: EpcState): bool {
    return this.queries.brief(epc, out);
  }

  knows(epc: string): bool {
    return this.queries.knows(epc);
  }

  /** How many aggregation children are inside `container` now. */
  childCount(container: string): i32 {
    return this.queries.childCount(container);
  }

  /**
   * Frees the index's unmanaged memory (arenas and hash tables, which the garbage collector does
   * not see). danger: the index must not be used afterwards; callers drop their reference.
   */
  release(): void {
    this.epcs.release();
    this.events.release();
    this.interns.release();
    this.eventIds.release();
  }

  /** Clears `out` and fills it with the aggregation children inside `container` now, sorted. */
  contents(container: string, out: Array<string>): i32 {
    return this.queries.children(this.aggregation, container, out);
  }

  /** Like `contents`, for the association relation: what is associated with `parent` now. */
  associated(parent: string, out: Array<string>): i32 {
    return this.queries.children(this.association, parent, out);
  }

  /**
   * Pages through the known EPCs in no particular order: clears `out`, appends up to `limit` keys
   * from `cursor` (0 to start) and returns the cursor of the next page, or -1 after the last.
   * Pages are consistent while no event is applied in between.
   */
  listEpcs(cursor: i32, limit: i32, out: Array<string>): i32 {
    out.length = 0;
    return this.epcs.list(cursor, limit, out);
  }

  /** The index's arenas and tables as byte ranges, in place (snapshot-writer.ts frames them). */
  writeSnapshot(out: SnapshotOut): void {
    this.epcs.writeSnapshot(out);
    this.events.writeSnapshot(out);
    this.interns.writeSnapshot(out);
    this.eventIds.writeSnapshot(out);
  }

  /**
   * Fills this new, empty index from a snapshot of one, read straight into fresh chunks (no record
   * is applied again). danger: on false the index is half-filled; release() it and drop it.
   */
  readSnapshot(src: SnapshotIn): bool {
    return (
      this.epcs.readSnapshot(src) &&
      this.events.readSnapshot(src) &&
      this.interns.readSnapshot(src) &&
      this.eventIds.readSnapshot(src)
    );
  }

  epcCount(): i32 {
    return this.epcs.count;
  }

  eventCount(): i32 {
    return this.events.count;
  }

  /** Bytes held: arenas, hash tables, interned strings and the event-ID cache. */
  memoryBytes(): usize {
    return (
      this.epcs.bytes + this.events.bytes + this.interns.bytes + this.eventIds.bytes + this.queries.bytes
    );
  }
}

// Arena bytes per EPC (40 fixed, about 20 for a Digital Link path packed as digits) and per event
// (64), plus slack for the chunks' tails and extension records, for `reserve`.
const EPC_BYTES_ESTIMATE: u64 = 68;
const EVENT_BYTES_ESTIMATE: u64 = 68;
