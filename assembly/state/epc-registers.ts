import { EpcTable } from './epc-table';
import { EventTable } from './event-table';
import {
  EPC_LAST_EVENT,
  EPC_READ_POINT,
  EPC_BIZ_LOCATION,
  EPC_DISPOSITION,
  EPC_COMMISSION,
  EPC_TRANSIT,
  EXT_DECOMMISSION,
  EXT_CONSUMED,
  EXT_PRODUCED,
} from './epc-layout';

// Writes of an EPC's single-valued registers. A register holds the index of the event that won
// it: `raise` keeps the newest event (last writer wins), `lower` the oldest (first writer wins).
// Both are commutative and idempotent, which is what makes the state depend only on the set of
// applied events. Relations (parent, association) live in relation.ts.

export class EpcRegisters {
  constructor(
    private epcs: EpcTable,
    private events: EventTable,
  ) {}

  /**
   * Event `e` names EPC `rec`; the flags say which optional fields `e` carries, and `departs`
   * whether its disposition is in_transit.
   */
  observe(rec: u32, e: u32, readPoint: bool, bizLocation: bool, disposition: bool, departs: bool): void {
    const p = this.epcs.ptr(rec);
    this.raise(p + EPC_LAST_EVENT, e);
    if (readPoint) this.raise(p + EPC_READ_POINT, e);
    if (bizLocation) this.raise(p + EPC_BIZ_LOCATION, e);
    if (disposition) this.raise(p + EPC_DISPOSITION, e);
    if (departs) this.raise(p + EPC_TRANSIT, e);
  }

  commission(rec: u32, e: u32): void {
    this.raise(this.epcs.ptr(rec) + EPC_COMMISSION, e);
  }

  decommission(rec: u32, e: u32): void {
    const ext = this.epcs.ext(rec, true);
    if (ext != 0) this.raise(ext + EXT_DECOMMISSION, e);
  }

  consume(rec: u32, e: u32): void {
    const ext = this.epcs.ext(rec, true);
    if (ext != 0) this.lower(ext + EXT_CONSUMED, e);
  }

  produce(rec: u32, e: u32): void {
    const ext = this.epcs.ext(rec, true);
    if (ext != 0) this.lower(ext + EXT_PRODUCED, e);
    this.commission(rec, e);
  }

  private raise(register: usize, e: u32): void {
    if (this.events.newer(e, load<u32>(register))) store<u32>(register, e);
  }

  private lower(register: usize, e: u32): void {
    const current = load<u32>(register);
    if (current == 0 || this.events.newer(current, e)) store<u32>(register, e);
  }
}
