// The answer to `StateIndex.lookup`: one EPC's current state. Reused across lookups; strings
// are either shared interned values or fresh strings the caller owns.

export class EpcState {
  bizLocation: string | null = null;
  /** eventTime of the event that set `bizLocation` (0 when none): lets the query layer tell
   * whether a container's location is newer than the item's own when walking up `parent`. */
  bizLocationTimeMs: i64 = 0;
  readPoint: string | null = null;
  disposition: string | null = null;
  lastEventId: string | null = null;
  lastEventTimeMs: i64 = 0;
  /** bizStep of the last event (null when that event had none). */
  lastBizStep: string | null = null;
  /** Aggregation parent the EPC is inside now. */
  parent: string | null = null;
  /** eventTime of the ADD that put it there; 0 when `parent` is null. */
  parentSinceMs: i64 = 0;
  /** Association parent (an EPC or a location) it is associated with now. */
  associatedWith: string | null = null;
  /** Aggregation children inside it now. */
  childCount: i32 = 0;
  decommissioned: bool = false;
  /** Newest ObjectEvent DELETE, kept even when a newer commissioning revived the EPC. */
  decommissionedByEventId: string | null = null;
  /** Oldest TransformationEvent listing it as an input. */
  consumedByEventId: string | null = null;
  /** Oldest TransformationEvent listing it as an output. */
  producedByEventId: string | null = null;
  /** Newest ObjectEvent ADD or TransformationEvent output. */
  commissionedByEventId: string | null = null;
  /**
   * Effective location: per field, the newest value among the EPC's own register and those of the
   * containers it is inside now (parent, grandparent, …): a case packed on a pallet that was
   * scanned after the case itself is where the pallet was scanned.
   */
  locationBizLocation: string | null = null;
  locationReadPoint: string | null = null;
  /** The container that supplied the effective bizLocation (else the readPoint); null: its own. */
  locationVia: string | null = null;
  /**
   * In transit (effective-location.ts): shipped with disposition in_transit, itself or in a
   * container, and seen at no bizLocation since. The effective bizLocation is then null and the
   * place it left is in `transitFrom*`.
   */
  inTransit: bool = false;
  /** eventTime of the event that started the transit (0 when not in transit). */
  transitSinceMs: i64 = 0;
  transitFromBizLocation: string | null = null;
  transitFromReadPoint: string | null = null;
  /** The container whose shipment it is; null when its own (or not in transit). */
  transitVia: string | null = null;
  /** The effective location of `parent` (same rule, from the parent upwards). */
  parentBizLocation: string | null = null;
  parentReadPoint: string | null = null;

  reset(): void {
    this.bizLocation = null;
    this.bizLocationTimeMs = 0;
    this.readPoint = null;
    this.disposition = null;
    this.lastEventId = null;
    this.lastEventTimeMs = 0;
    this.lastBizStep = null;
    this.parent = null;
    this.parentSinceMs = 0;
    this.associatedWith = null;
    this.childCount = 0;
    this.decommissioned = false;
    this.decommissionedByEventId = null;
    this.consumedByEventId = null;
    this.producedByEventId = null;
    this.commissionedByEventId = null;
    this.locationBizLocation = null;
    this.locationReadPoint = null;
    this.locationVia = null;
    this.inTransit = false;
    this.transitSinceMs = 0;
    this.transitFromBizLocation = null;
    this.transitFromReadPoint = null;
    this.transitVia = null;
    this.parentBizLocation = null;
    this.parentReadPoint = null;
  }
}
