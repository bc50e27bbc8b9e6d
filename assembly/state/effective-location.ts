import { EpcTable } from './epc-table';
import { EventTable } from './event-table';
import { Relation } from './relation';
import { EPC_READ_POINT, EPC_BIZ_LOCATION, EPC_TRANSIT } from './epc-layout';

/**
 * How many containers up the effective location looks. The index accepts cycles (P inside C and
 * C inside P); taking the newest value is idempotent, so a bound is all a cycle needs.
 */
const MAX_CHAIN: i32 = 32;

// Where an EPC is now, read from its own registers and those of the containers it is inside
// (parent, grandparent, …), so that a case packed on a pallet is where the pallet was last seen.
// Every field is the newest register of its kind along that chain; equal events (one event naming
// both the item and its container) keep the item's own.
//
// Transit: the newest in_transit event along the chain (T) puts the EPC in transit when no event
// along the chain carrying a bizLocation is newer than T (the same event may carry both: it still
// left). While in transit the origin is not a current location: the answered bizLocation is none,
// the answered readPoint only one read after T (a reader passed on the way), and the place it left
// is kept apart: the last bizLocation (necessarily not newer than T) and the last readPoint up to
// T (the newest one when it is not newer than T, else T's own). All of it is a function of
// registers, so it stays a function of the set of events and costs no state beyond EPC_TRANSIT.
export class EffectiveLocation {
  /** Events whose bizLocation / readPoint is the answer (0: none). */
  bizLocation: u32 = 0;
  readPoint: u32 = 0;
  /** The container that supplied the answered bizLocation, else readPoint; 0 when the EPC's own. */
  via: u32 = 0;
  /** The event that started the transit the EPC is in now; 0 when it is not in transit. */
  transit: u32 = 0;
  /** The container whose transit it is; 0 when the EPC's own (or not in transit). */
  transitVia: u32 = 0;
  /** While in transit: the events whose bizLocation / readPoint it left from (0: unknown). */
  fromBizLocation: u32 = 0;
  fromReadPoint: u32 = 0;

  constructor(
    private epcs: EpcTable,
    private events: EventTable,
    private aggregation: Relation,
  ) {}

  /** Fills the fields for record `rec`. */
  locate(rec: u32): void {
    const events = this.events;
    const p = this.epcs.ptr(rec);
    let bizLocation = load<u32>(p, EPC_BIZ_LOCATION);
    let readPoint = load<u32>(p, EPC_READ_POINT);
    let transit = load<u32>(p, EPC_TRANSIT);
    let bizLocationFrom = rec;
    let readPointFrom = rec;
    let transitFrom = rec;
    let current = rec;
    for (let i = 0; i < MAX_CHAIN; i++) {
      const by = this.aggregation.insideBy(current);
      if (by == 0) break;
      current = events.assignedParent(by);
      if (current == 0 || current == rec) break;
      const q = this.epcs.ptr(current);
      const b = load<u32>(q, EPC_BIZ_LOCATION);
      if (events.newer(b, bizLocation)) {
        bizLocation = b;
        bizLocationFrom = current;
      }
      const r = load<u32>(q, EPC_READ_POINT);
      if (events.newer(r, readPoint)) {
        readPoint = r;
        readPointFrom = current;
      }
      const t = load<u32>(q, EPC_TRANSIT);
      if (events.newer(t, transit)) {
        transit = t;
        transitFrom = current;
      }
    }
    const moving = transit != 0 && !events.newer(bizLocation, transit);
    this.transit = moving ? transit : 0;
    this.transitVia = moving && transitFrom != rec ? transitFrom : 0;
    this.fromBizLocation = moving ? bizLocation : 0;
    this.fromReadPoint = !moving ? 0 : events.newer(readPoint, transit) ? transit : readPoint;
    if (moving) {
      bizLocation = 0;
      bizLocationFrom = rec;
      if (!events.newer(readPoint, transit)) {
        readPoint = 0;
        readPointFrom = rec;
      }
    }
    this.bizLocation = bizLocation;
    this.readPoint = readPoint;
    const via = bizLocationFrom != rec ? bizLocationFrom : readPointFrom;
    this.via = via != rec ? via : 0;
  }
}
