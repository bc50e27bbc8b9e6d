// The GET /epcs/{epc}/state answer (contracts.md §A) from the core's lookup result.
import type { EpcState } from '../core/types.js';

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

export const isoTime = (ms: number): string => new Date(ms).toISOString();

export function stateView(state: EpcState, asOfMs: number | null): StateView {
  return {
    epc: state.epc,
    asOf: asOfMs === null ? null : isoTime(asOfMs),
    bizLocation: state.bizLocation,
    readPoint: state.readPoint,
    disposition: state.disposition,
    lastEvent:
      state.lastEventId === null
        ? null
        : {
            eventID: state.lastEventId,
            eventTime: isoTime(state.lastEventTimeMs),
            bizStep: state.lastBizStep,
          },
    parent:
      state.parent === null
        ? null
        : {
            epc: state.parent,
            since: isoTime(state.parentSinceMs),
            bizLocation: state.parentBizLocation,
            readPoint: state.parentReadPoint,
          },
    location: {
      bizLocation: state.locationBizLocation,
      readPoint: state.locationReadPoint,
      source: state.locationVia === null ? 'self' : 'container',
      via: state.locationVia,
    },
    inTransit: state.inTransit
      ? {
          since: isoTime(state.transitSinceMs),
          from: { bizLocation: state.transitFromBizLocation, readPoint: state.transitFromReadPoint },
          via: state.transitVia,
        }
      : null,
    associatedWith: state.associatedWith,
    childCount: state.childCount,
    decommissioned: state.decommissioned,
    commissionedBy: state.commissionedByEventId,
    decommissionedBy: state.decommissionedByEventId,
    transformed: { consumedBy: state.consumedByEventId, producedBy: state.producedByEventId },
  };
}
