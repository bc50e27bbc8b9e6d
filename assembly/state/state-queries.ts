import { EpcState } from './epc-state';
import { EpcTable } from './epc-table';
import { EventIds } from './event-ids';
import { EventTable } from './event-table';
import { InternTable } from './intern-table';
import { Relation } from './relation';
import { EffectiveLocation } from './effective-location';
import { stringBytes } from './string-bytes';
import {
  EPC_LAST_EVENT,
  EPC_READ_POINT,
  EPC_BIZ_LOCATION,
  EPC_DISPOSITION,
  EPC_COMMISSION,
  EXT_DECOMMISSION,
  EXT_CONSUMED,
  EXT_PRODUCED,
} from './epc-layout';

// Reads the index for `StateIndex`'s queries: turns registers (event indices) into the values
// and IDs of the events that won them. O(1) per lookup apart from the strings it hands out.

const ID_CACHE_SIZE: i32 = 256;

export class StateQueries {
  private location: EffectiveLocation;
  private cachedEvents: StaticArray<u32> = new StaticArray<u32>(ID_CACHE_SIZE);
  private cachedIds: StaticArray<string | null> = new StaticArray<string | null>(ID_CACHE_SIZE);
  private cachedBytes: usize = 0;

  constructor(
    private epcs: EpcTable,
    private events: EventTable,
    private interns: InternTable,
    private eventIds: EventIds,
    private aggregation: Relation,
    private association: Relation,
  ) {
    this.location = new EffectiveLocation(epcs, events, aggregation);
  }

  lookup(epc: string, out: EpcState): bool {
    out.reset();
    if (changetype<usize>(epc) == 0) return false;
    const rec = this.epcs.find(epc);
    if (rec == 0) return false;
    const events = this.events;
    const p = this.epcs.ptr(rec);
    const last = load<u32>(p, EPC_LAST_EVENT);
    out.lastEventId = this.eventId(last);
    out.lastEventTimeMs = events.timeMs(last);
    out.lastBizStep = this.interns.get(events.bizStep(last));
    out.readPoint = this.interns.get(events.readPoint(load<u32>(p, EPC_READ_POINT)));
    const located = load<u32>(p, EPC_BIZ_LOCATION);
    out.bizLocation = this.interns.get(events.bizLocation(located));
    if (located != 0) out.bizLocationTimeMs = events.timeMs(located);
    out.disposition = this.interns.get(events.disposition(load<u32>(p, EPC_DISPOSITION)));

    const location = this.location;
    location.locate(rec);
    out.locationBizLocation = this.interns.get(events.bizLocation(location.bizLocation));
    out.locationReadPoint = this.interns.get(events.readPoint(location.readPoint));
    out.locationVia = this.epcs.key(location.via);
    this.transitInto(out);

    const packedBy = this.aggregation.insideBy(rec);
    if (packedBy != 0) {
      const parent = events.assignedParent(packedBy);
      out.parent = this.epcs.key(parent);
      out.parentSinceMs = events.timeMs(packedBy);
      location.locate(parent);
      out.parentBizLocation = this.interns.get(events.bizLocation(location.bizLocation));
      out.parentReadPoint = this.interns.get(events.readPoint(location.readPoint));
    }
    const associatedBy = this.association.insideBy(rec);
    if (associatedBy != 0) out.associatedWith = this.epcs.key(events.assignedParent(associatedBy));
    out.childCount = this.aggregation.childCount(rec);

    const commission = load<u32>(p, EPC_COMMISSION);
    out.commissionedByEventId = this.eventId(commission);
    const ext = this.epcs.ext(rec, false);
    if (ext != 0) {
      const decommission = load<u32>(ext, EXT_DECOMMISSION);
      out.decommissioned = events.newer(decommission, commission);
      out.decommissionedByEventId = this.eventId(decommission);
      out.consumedByEventId = this.eventId(load<u32>(ext, EXT_CONSUMED));
      out.producedByEventId = this.eventId(load<u32>(ext, EXT_PRODUCED));
    }
    return true;
  }

  /**
   * Appends the compact state of `epc` for batch lookups: false when unknown. Fills `out` with the
   * effective location (effective-location.ts: none while in transit), the transit if any, and
   * disposition only; the only new string is the key of the container whose shipment it is.
   */
  brief(epc: string, out: EpcState): bool {
    out.reset();
    const rec = this.epcs.find(epc);
    if (rec == 0) return false;
    const events = this.events;
    const p = this.epcs.ptr(rec);
    const location = this.location;
    location.locate(rec);
    out.locationBizLocation = this.interns.get(events.bizLocation(location.bizLocation));
    out.locationReadPoint = this.interns.get(events.readPoint(location.readPoint));
    this.transitInto(out);
    out.disposition = this.interns.get(events.disposition(load<u32>(p, EPC_DISPOSITION)));
    const ext = this.epcs.ext(rec, false);
    if (ext != 0)
      out.decommissioned = events.newer(load<u32>(ext, EXT_DECOMMISSION), load<u32>(p, EPC_COMMISSION));
    return true;
  }

  /** Copies the transit `location.locate` found (if any) into `out`, for lookup and brief alike. */
  private transitInto(out: EpcState): void {
    const location = this.location;
    const transit = location.transit;
    if (transit == 0) return;
    const events = this.events;
    out.inTransit = true;
    out.transitSinceMs = events.timeMs(transit);
    out.transitFromBizLocation = this.interns.get(events.bizLocation(location.fromBizLocation));
    out.transitFromReadPoint = this.interns.get(events.readPoint(location.fromReadPoint));
    out.transitVia = this.epcs.key(location.transitVia);
  }

  /** Whether the index has seen `epc`. */
  knows(epc: string): bool {
    return this.epcs.find(epc) != 0;
  }

  /** How many aggregation children are inside `container` now (0 when unknown). */
  childCount(container: string): i32 {
    const rec = this.epcs.find(container);
    return rec == 0 ? 0 : this.aggregation.childCount(rec);
  }

  /**
   * Clears `out` and fills it with the children inside `container` in `relation`, sorted (by
   * UTF-16 code units, like JavaScript's default sort) so that the answer, like the state, does
   * not depend on the order the events arrived in.
   */
  children(relation: Relation, container: string, out: Array<string>): i32 {
    out.length = 0;
    if (changetype<usize>(container) == 0) return 0;
    const rec = this.epcs.find(container);
    if (rec == 0) return 0;
    const n = relation.collect(rec, out);
    if (n > 1) out.sort();
    return n;
  }

  /**
   * The ID of event `e` (null for 0). Many EPCs share their last or commissioning event, so the
   * strings are cached by event index (direct-mapped): a hit hands out the same immutable string
   * instead of rebuilding ~90 characters of hash ID and allocating them.
   */
  private eventId(e: u32): string | null {
    if (e == 0) return null;
    const slot = e & (ID_CACHE_SIZE - 1);
    if (unchecked(this.cachedEvents[slot]) == e) return unchecked(this.cachedIds[slot]);
    const id = this.eventIds.decode(this.events.eventIdRef(e), this.events.digest(e));
    const old = unchecked(this.cachedIds[slot]);
    if (old !== null) this.cachedBytes -= stringBytes(old);
    this.cachedBytes += stringBytes(id);
    unchecked((this.cachedEvents[slot] = e));
    unchecked((this.cachedIds[slot] = id));
    return id;
  }

  /** Bytes held by the event-ID cache. */
  get bytes(): usize {
    return ((<usize>ID_CACHE_SIZE) << 3) + this.cachedBytes;
  }
}
