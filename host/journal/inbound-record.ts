// The payload of one DATA_DIR/inbound/ record: exactly the fields tracker-server.wasm's replayRecord
// (assembly/server/capture/server-store.ts) reads from a journal record, so the server applies both
// with one function:
//   {"eventId", "declarationTimeMs" (error declarations only), "state": [the abi/apply-events.ts entry]}
// `state` is the entry TrackerCore.applyStored sends the core for the same event (host/core/gateway.ts
// applyTo), built from the columns the start-up rebuild reads (host/store/state-event-row.ts).
import { stateEntry } from '../core/state-entry.js';
import { encodeJournalRecord } from './journal-records.js';
import type { InboundEvent } from './inbound-ledger.js';

export function inboundPayload(event: InboundEvent): Buffer {
  const { state } = event;
  const payload =
    state.isDeclaration && event.declarationTimeMs !== null
      ? { eventId: state.eventId, declarationTimeMs: event.declarationTimeMs, state: stateEntry(state) }
      : { eventId: state.eventId, state: stateEntry(state) };
  return Buffer.from(JSON.stringify(payload));
}

/** The record's bytes, framed as the journal's (journal-records.ts). */
export function encodeInboundRecord(event: InboundEvent): Buffer {
  return encodeJournalRecord(event.inboundSeq, inboundPayload(event));
}
