// The GET /epcs/{epc}/state answer (contracts.md §A). The core writes it whole, as JSON text
// (assembly/abi/state-answer.ts writeStateView, the order of tracking-schemas.ts); this is its
// shape for the host's readers (tests, the replay oracle).

export interface StateView {
  epc: string;
  asOf: string | null;
  bizLocation: string | null;
  readPoint: string | null;
  disposition: string | null;
  lastEvent: { eventID: string; eventTime: string; bizStep: string | null } | null;
  parent: { epc: string; since: string; bizLocation: string | null; readPoint: string | null } | null;
  location: {
    bizLocation: string | null;
    readPoint: string | null;
    source: 'self' | 'container';
    via: string | null;
  };
  /**
   * Set while it is on its way: shipped with disposition in_transit (itself, or a container it is
   * inside: `via`) and seen at no bizLocation since. `location.bizLocation` is then null, and where
   * it left is here instead, so the origin never reads as its current place.
   */
  inTransit: {
    since: string;
    from: { bizLocation: string | null; readPoint: string | null };
    via: string | null;
  } | null;
  associatedWith: string | null;
  childCount: number;
  decommissioned: boolean;
  commissionedBy: string | null;
  decommissionedBy: string | null;
  transformed: { consumedBy: string | null; producedBy: string | null };
}
