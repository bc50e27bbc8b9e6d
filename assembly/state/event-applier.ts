import { EpcTable } from './epc-table';
import { EventIds } from './event-ids';
import { EventTable } from './event-table';
import { InternTable } from './intern-table';
import { Relation } from './relation';
import { EpcRegisters } from './epc-registers';
import { StateEvent, StateEventType, StateAction } from './state-event';
import { CBV_BASE } from '../vocab/cbv';

/**
 * The disposition that starts a transit (CBV 2.0 Disp-in_transit: the object is being moved between
 * locations). Dispositions reach the index expanded (capture/extract-keys.ts), and the JSON schema
 * refuses the URN form, so this one spelling is the only one.
 */
const IN_TRANSIT = CBV_BASE + 'Disp-in_transit';

// Applies one event to the index by the rules stated in state-index.ts: records the event once
// (by digest), then offers it to the registers and relations of every EPC it names.

export class EventApplier {
  private registers: EpcRegisters;
  // The optional fields of the event being applied, for `observe`.
  private hasReadPoint: bool = false;
  private hasBizLocation: bool = false;
  private hasDisposition: bool = false;
  private departs: bool = false;

  constructor(
    private epcs: EpcTable,
    private events: EventTable,
    private interns: InternTable,
    private eventIds: EventIds,
    private aggregation: Relation,
    private association: Relation,
  ) {
    this.registers = new EpcRegisters(epcs, events);
  }

  apply(ev: StateEvent): void {
    const e = this.record(ev);
    if (e == 0) return;
    const type = ev.type;
    const action = ev.action;
    const parentId = ev.parent;
    const parent = parentId === null ? 0 : this.observe(parentId, e);

    const epcs = ev.epcs;
    for (let i = 0, n = epcs.length; i < n; i++) {
      const rec = this.observe(unchecked(epcs[i]), e);
      if (rec == 0 || type != StateEventType.Object) continue;
      if (action == StateAction.Add) this.registers.commission(rec, e);
      else if (action == StateAction.Delete) this.registers.decommission(rec, e);
    }

    const relation =
      type == StateEventType.Aggregation
        ? this.aggregation
        : type == StateEventType.Association
          ? this.association
          : null;
    // Containment changes need a parent and an ADD or DELETE; anything else only observes.
    const moves =
      relation !== null && parent != 0 && (action == StateAction.Add || action == StateAction.Delete);
    if (moves && action == StateAction.Add) this.events.setParent(e, parent, true);
    let listed = 0;
    const children = ev.children;
    for (let i = 0, n = children.length; i < n; i++) {
      const rec = this.observe(unchecked(children[i]), e);
      if (rec == 0) continue;
      listed++;
      if (moves && relation !== null) relation.assign(rec, e, action == StateAction.Add ? parent : 0);
    }
    if (moves && relation !== null && action == StateAction.Delete && listed == 0) relation.clear(parent, e);

    const transforms = type == StateEventType.Transformation;
    const inputs = ev.inputs;
    for (let i = 0, n = inputs.length; i < n; i++) {
      const rec = this.observe(unchecked(inputs[i]), e);
      if (rec != 0 && transforms) this.registers.consume(rec, e);
    }
    const outputs = ev.outputs;
    for (let i = 0, n = outputs.length; i < n; i++) {
      const rec = this.observe(unchecked(outputs[i]), e);
      if (rec != 0 && transforms) this.registers.produce(rec, e);
    }
  }

  /** Adds the event to the event table; 0 when it is to be ignored or was applied before. */
  private record(ev: StateEvent): u32 {
    const digest = ev.hash;
    if (ev.isErrorDeclaration || !isReadable(digest, 32)) return 0;
    if (this.events.find(digest) != 0) return 0;
    const eventId = changetype<usize>(ev.eventId) == 0 ? '' : ev.eventId;
    const e = this.events.add(digest, ev.timeMs, this.eventIds.encode(eventId, digest));
    const readPoint = this.interns.intern(ev.readPoint);
    const bizLocation = this.interns.intern(ev.bizLocation);
    const disposition = this.interns.intern(ev.disposition);
    this.events.setVocabulary(e, this.interns.intern(ev.bizStep), readPoint, bizLocation, disposition);
    this.hasReadPoint = readPoint != 0;
    this.hasBizLocation = bizLocation != 0;
    this.hasDisposition = disposition != 0;
    const given = ev.disposition;
    this.departs = given !== null && given == IN_TRANSIT;
    return e;
  }

  /** Records that event `e` names `epc`; returns its record (0 for a hole in the caller's array). */
  private observe(epc: string, e: u32): u32 {
    if (changetype<usize>(epc) == 0) return 0;
    const rec = this.epcs.findOrAdd(epc);
    this.registers.observe(rec, e, this.hasReadPoint, this.hasBizLocation, this.hasDisposition, this.departs);
    return rec;
  }
}

/** Whether `size` bytes at `ptr` lie inside linear memory (0 is never a valid digest address). */
function isReadable(ptr: usize, size: usize): bool {
  return ptr != 0 && ptr + size <= (<usize>memory.size()) << 16 && ptr + size > ptr;
}
