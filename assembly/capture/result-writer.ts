// Serialises a capture result as compact JSON (UTF-8) for the host: one JSON.parse on its side,
// no per-field boundary crossings. The same bytes are what the WASI command entry prints, which is
// what the Node/WasmEdge differential test compares. Field names are part of the host contract
// (host/core/types.ts); change both together.
import { Issue } from '../diagnostics/issue';
import { Utf8Writer } from '../json/utf8-writer';
import { EPC_ROLE_NAMES, NormalisedEvent, TypedValue } from './normalised-event';
import { PreparedBatch } from './prepare-document';

function nullableString(w: Utf8Writer, s: string | null): void {
  if (s === null) w.ascii('null');
  else w.jsonString(s);
}

function member(w: Utf8Writer, name: string): void {
  w.byte(0x2c); // ','
  w.byte(0x22);
  w.ascii(name);
  w.ascii('":');
}

function stringArray(w: Utf8Writer, items: Array<string>): void {
  w.byte(0x5b);
  for (let i = 0, n = items.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    w.jsonString(unchecked(items[i]));
  }
  w.byte(0x5d);
}

function typedValues(w: Utf8Writer, items: Array<TypedValue>): void {
  w.byte(0x5b);
  for (let i = 0, n = items.length; i < n; i++) {
    const item = unchecked(items[i]);
    w.ascii(i > 0 ? ',[' : '[');
    nullableString(w, item.type);
    w.byte(0x2c);
    w.jsonString(item.value);
    w.byte(0x5d);
  }
  w.byte(0x5d);
}

function writeEpcs(w: Utf8Writer, e: NormalisedEvent): void {
  w.byte(0x5b);
  const epcs = e.epcs;
  for (let i = 0, n = epcs.length; i < n; i++) {
    const k = unchecked(epcs[i]);
    w.ascii(i > 0 ? ',[' : '[');
    w.jsonString(k.id);
    w.ascii(',"');
    w.ascii(unchecked(EPC_ROLE_NAMES[k.role]));
    w.byte(0x22);
    if (k.quantity !== null || k.uom !== null) {
      w.byte(0x2c);
      // The quantity is the number's original text: already valid JSON.
      const q = k.quantity;
      if (q === null) w.ascii('null');
      else w.ascii(q);
      w.byte(0x2c);
      nullableString(w, k.uom);
    }
    w.byte(0x5d);
  }
  w.byte(0x5d);
}

/** One event's entry of the capture result (also the server journal's `result`). */
export function writeEvent(w: Utf8Writer, e: NormalisedEvent): void {
  w.ascii('{"index":');
  w.int(e.index);
  member(w, 'accepted');
  w.ascii(e.accepted ? 'true' : 'false');
  member(w, 'start');
  w.int(e.start);
  member(w, 'end');
  w.int(e.end);
  if (!e.accepted) {
    w.byte(0x7d);
    return;
  }
  member(w, 'type');
  w.jsonString(e.type);
  member(w, 'action');
  nullableString(w, e.action);
  member(w, 'eventId');
  nullableString(w, e.eventId);
  member(w, 'hashId');
  w.jsonString(e.hashId);
  member(w, 'eventTimeMs');
  w.int(e.eventTimeMs);
  member(w, 'eventTimeZoneOffset');
  w.jsonString(e.eventTimeZoneOffset);
  member(w, 'bizStep');
  nullableString(w, e.bizStep);
  member(w, 'disposition');
  nullableString(w, e.disposition);
  member(w, 'readPoint');
  nullableString(w, e.readPoint);
  member(w, 'bizLocation');
  nullableString(w, e.bizLocation);
  member(w, 'transformationId');
  nullableString(w, e.transformationId);
  member(w, 'persistentDisposition');
  w.ascii('{"set":');
  stringArray(w, e.persistentDispositionSet);
  w.ascii(',"unset":');
  stringArray(w, e.persistentDispositionUnset);
  w.byte(0x7d);
  member(w, 'epcs');
  writeEpcs(w, e);
  member(w, 'bizTransactions');
  typedValues(w, e.bizTransactions);
  member(w, 'sources');
  typedValues(w, e.sources);
  member(w, 'destinations');
  typedValues(w, e.destinations);
  member(w, 'errorDeclaration');
  const declaration = e.errorDeclaration;
  if (declaration === null) {
    w.ascii('null');
  } else {
    w.ascii('{"declarationTimeMs":');
    w.int(declaration.declarationTimeMs);
    w.ascii(',"reason":');
    nullableString(w, declaration.reason);
    w.ascii(',"correctiveEventIds":');
    stringArray(w, declaration.correctiveEventIds);
    w.byte(0x7d);
  }
  member(w, 'hasSensorData');
  w.ascii(e.hasSensorData ? 'true' : 'false');
  w.byte(0x7d);
}

function writeIssue(w: Utf8Writer, issue: Issue): void {
  w.ascii('{"eventIndex":');
  w.int(issue.eventIndex);
  w.ascii(',"pointer":');
  w.jsonString(issue.pointer);
  w.ascii(',"message":');
  w.jsonString(issue.message);
  w.byte(0x7d);
}

export function writeCaptureResult(w: Utf8Writer, batch: PreparedBatch, withPrehash: bool): void {
  const events = batch.events;
  const issues = batch.issues.items;
  w.ascii('{"status":');
  w.int(batch.status);
  w.ascii(',"documentKind":');
  nullableString(w, batch.documentKind);
  w.ascii(',"contextRange":');
  if (batch.contextStart < 0) {
    w.ascii('null');
  } else {
    w.byte(0x5b);
    w.int(batch.contextStart);
    w.byte(0x2c);
    w.int(batch.contextEnd);
    w.byte(0x5d);
  }
  w.ascii(',"events":[');
  for (let i = 0, n = events.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    writeEvent(w, unchecked(events[i]));
  }
  w.ascii('],"issues":[');
  for (let i = 0, n = issues.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    writeIssue(w, unchecked(issues[i]));
  }
  w.ascii('],"issuesTruncated":');
  w.ascii(batch.issues.truncated ? 'true' : 'false');
  if (withPrehash) {
    w.ascii(',"prehashes":[');
    for (let i = 0, n = events.length; i < n; i++) {
      if (i > 0) w.byte(0x2c);
      w.jsonString(unchecked(events[i]).prehash);
    }
    w.byte(0x5d);
  }
  w.byte(0x7d);
}
