// One stored event as the core's applyStored input takes it (assembly/abi/apply-events.ts):
//   [type, action, eventTimeMs, hashId, eventId, bizStep, disposition, readPoint, bizLocation,
//    isDeclaration, [[identifier, role], …]]
// Used by the start-up rebuild (gateway.ts) and by the sidecar's inbound records, which
// tracker-server.wasm applies with the same core code.
import type { StoredStateEvent } from './types.js';

export function stateEntry(e: StoredStateEvent): unknown[] {
  return [
    e.type,
    e.action,
    e.eventTimeMs,
    e.hashId,
    e.eventId,
    e.bizStep,
    e.disposition,
    e.readPoint,
    e.bizLocation,
    e.isDeclaration,
    e.epcs.map((k) => [k[0], k[1]]),
  ];
}
