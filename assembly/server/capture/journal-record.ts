// The payload of one journal record: one accepted event as the core normalised it, plus what the
// sidecar needs to store it exactly as the Node service would (host/ingest/ingest-pipeline.ts
// fromJournal takes a body and its capture result):
//   {"eventId","captureId","recordTimeMs","declarationTimeMs" (null unless an error declaration),
//    "state":[type, action, eventTimeMs, hashId, eventId, bizStep, disposition, readPoint,
//             bizLocation, isDeclaration, [[identifier, role], …]]   (abi/apply-events.ts layout),
//    "result":{…},     the event's capture-result entry, start/end rebased onto "event"
//    "context":…,      the document's root @context as sent, or null
//    "event":{…}}      the event's JSON text as captured
// Replay reads "eventId", "declarationTimeMs" and "state" (restarting runs no validation or hashing).
import { writeEvent } from '../../capture/result-writer';
import { EPC_ROLE_NAMES, NormalisedEvent } from '../../capture/normalised-event';
import { PreparedBatch } from '../../capture/prepare-document';
import { Utf8Writer } from '../../json/utf8-writer';

function nullable(w: Utf8Writer, s: string | null): void {
  if (s === null) w.ascii('null');
  else w.jsonString(s);
}

/** The event ID it is stored under: the client's, or its hash ID (as host/capture/stored-events.ts). */
export function storedEventId(e: NormalisedEvent): string {
  const id = e.eventId;
  return id !== null ? id : e.hashId;
}

/**
 * What makes an event a duplicate in the Node service's store (host/store/migrations/001-initial.ts):
 * its event ID, or for an error declaration its event ID and declaration time (a declaration
 * shares the ID of the event it corrects).
 */
export function duplicateKey(eventId: string, declarationTimeMs: i64, isDeclaration: bool): string {
  return isDeclaration ? eventId + '\n' + declarationTimeMs.toString() : eventId;
}

export function duplicateKeyOf(e: NormalisedEvent): string {
  const declaration = e.errorDeclaration;
  return declaration === null
    ? storedEventId(e)
    : duplicateKey(storedEventId(e), declaration.declarationTimeMs, true);
}

function writeStateEntry(w: Utf8Writer, e: NormalisedEvent): void {
  w.byte(0x5b);
  w.jsonString(e.type);
  w.byte(0x2c);
  nullable(w, e.action);
  w.byte(0x2c);
  w.int(e.eventTimeMs);
  w.byte(0x2c);
  w.jsonString(e.hashId);
  w.byte(0x2c);
  w.jsonString(storedEventId(e));
  w.byte(0x2c);
  nullable(w, e.bizStep);
  w.byte(0x2c);
  nullable(w, e.disposition);
  w.byte(0x2c);
  nullable(w, e.readPoint);
  w.byte(0x2c);
  nullable(w, e.bizLocation);
  w.ascii(e.errorDeclaration !== null ? ',true,[' : ',false,[');
  const epcs = e.epcs;
  for (let i = 0, n = epcs.length; i < n; i++) {
    const key = unchecked(epcs[i]);
    w.ascii(i > 0 ? ',[' : '[');
    w.jsonString(key.id);
    w.ascii(',"');
    w.ascii(unchecked(EPC_ROLE_NAMES[key.role]));
    w.ascii('"]');
  }
  w.ascii(']]');
}

/** Writes the record payload for `e` of `batch` (whose document is at `doc`) into `w`. */
export function writeJournalRecord(
  w: Utf8Writer,
  doc: usize,
  batch: PreparedBatch,
  e: NormalisedEvent,
  captureId: string | null,
  recordTimeMs: i64,
): void {
  w.reset();
  w.ascii('{"eventId":');
  w.jsonString(storedEventId(e));
  w.ascii(',"captureId":');
  nullable(w, captureId);
  w.ascii(',"recordTimeMs":');
  w.int(recordTimeMs);
  w.ascii(',"declarationTimeMs":');
  const declaration = e.errorDeclaration;
  if (declaration === null) w.ascii('null');
  else w.int(declaration.declarationTimeMs);
  w.ascii(',"state":');
  writeStateEntry(w, e);
  w.ascii(',"result":');
  const start = e.start;
  const end = e.end;
  e.start = 0;
  e.end = end - start;
  writeEvent(w, e);
  e.start = start;
  e.end = end;
  w.ascii(',"context":');
  if (batch.contextStart < 0) w.ascii('null');
  else w.raw(doc + <usize>batch.contextStart, batch.contextEnd - batch.contextStart);
  w.ascii(',"event":');
  w.raw(doc + <usize>start, end - start);
  w.byte(0x7d);
}
