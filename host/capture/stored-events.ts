// Builds the rows to store from a prepared capture: each accepted event keeps its JSON text exactly
// as captured (sliced from the request body by the byte range the core reported), gets its eventID
// (the client's, or the CBV 2.0 hash ID when it sent none) and the capture's record time.
import type { AcceptedEvent, CaptureResult } from '../core/types.js';
import type { EventToStore } from '../store/event-writer.js';

export interface CaptureStamp {
  recordTimeMs: number;
  captureId: string | null;
  originSite: string;
  enqueueForSync: boolean;
}

export function acceptedEvents(result: CaptureResult): AcceptedEvent[] {
  return result.events.filter((event): event is AcceptedEvent => event.accepted);
}

export function eventsToStore(body: Buffer, result: CaptureResult, stamp: CaptureStamp): EventToStore[] {
  const contextJson = result.contextRange === null ? null : body.toString('utf8', ...result.contextRange);
  return acceptedEvents(result).map((event) => ({
    event,
    eventId: event.eventId ?? event.hashId,
    body: body.toString('utf8', event.start, event.end),
    contextJson,
    recordTimeMs: stamp.recordTimeMs,
    captureId: stamp.captureId,
    originSite: stamp.originSite,
    enqueueForSync: stamp.enqueueForSync,
  }));
}
