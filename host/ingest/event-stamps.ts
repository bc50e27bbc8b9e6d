// Per-event stamps: a batch the sync consumer joined from several messages (host/sync/
// synced-document.ts) is one core batch, yet each event keeps its own origin site and record time.
import type { CaptureStamp } from '../capture/stored-events.js';
import type { EventToStore } from '../store/event-writer.js';

/** The rows with each one's stamp replaced by `stamps[i]`; the rows unchanged without stamps. */
export function withEventStamps(
  rows: EventToStore[],
  stamps: readonly CaptureStamp[] | undefined,
): EventToStore[] {
  if (stamps === undefined) return rows;
  if (stamps.length !== rows.length) {
    throw new RangeError(`${stamps.length} event stamps for ${rows.length} accepted events`);
  }
  return rows.map((row, i) => ({ ...row, ...stamps[i]! }));
}
