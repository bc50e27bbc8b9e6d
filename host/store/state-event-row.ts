// The events columns the core's state index replays (TrackerCore.applyStored), read both by the
// start-up rebuild (event-reader.ts) and by the tracking lookups (host/tracking/tracking-store.ts).
import type { StoredStateEvent } from '../core/types.js';

/** The select list for those columns; the events table must be aliased `e`. */
export const STATE_EVENT_COLUMNS = `e.seq, e.event_id, e.hash_id, e.event_type, e.action, e.event_time_ms,
  e.biz_step, e.disposition, e.read_point, e.biz_location, e.is_declaration`;

export interface StateEventRow<Action extends string | null = string | null> {
  seq: number;
  event_id: string;
  hash_id: string;
  event_type: string;
  action: Action;
  event_time_ms: number;
  biz_step: string | null;
  disposition: string | null;
  read_point: string | null;
  biz_location: string | null;
  is_declaration: number;
}

/** The event a row describes, its identifiers still to be added (`epcs` starts empty). */
export function toStateEvent<Action extends string | null>(
  row: StateEventRow<Action>,
): StoredStateEvent & { action: Action } {
  return {
    type: row.event_type,
    action: row.action,
    eventTimeMs: row.event_time_ms,
    hashId: row.hash_id,
    eventId: row.event_id,
    bizStep: row.biz_step,
    disposition: row.disposition,
    readPoint: row.read_point,
    bizLocation: row.biz_location,
    isDeclaration: row.is_declaration === 1,
    epcs: [],
  };
}
