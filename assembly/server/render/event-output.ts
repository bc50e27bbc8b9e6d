// One stored event as the Node service answers it (host/http/query-document.ts eventForOutput, and
// POST /events' `{'@context': mergedContext([event]), ...event}`): the captured event's members in
// their order with `@context` first, identifier fields per identifier-output.ts, the eventID the
// service assigned when the event carries none and the record time, both appended when absent.
import { JsonObject, JsonValue } from '../../json/value';
import { Utf8Writer } from '../../json/utf8-writer';
import { formatUtcMillis } from '../../time/date-time';
import { writeJson, writeMemberName } from './json-text';
import {
  writeEpcList,
  writeIdentifier,
  writeListWithIdentifiers,
  writeWithIdentifier,
} from './identifier-output';

/** host/http/epcis-context.ts EPCIS_CONTEXT_URL: what mergedContext starts with. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/**
 * mergedContext of an event stored without a document context (a single event's capture) is the
 * standard context alone; the event's own `@context`, which a single event must carry, then
 * replaces it in place as the object spread does.
 */
function writeContext(w: Utf8Writer, own: JsonValue | null): void {
  writeMemberName(w, '@context');
  if (own !== null) writeJson(w, own);
  else {
    w.ascii('["');
    w.ascii(EPCIS_CONTEXT_URL);
    w.ascii('"]');
  }
}

function writeMember(w: Utf8Writer, key: string, v: JsonValue, digitalLinks: bool): void {
  if (key == 'epcList' || key == 'childEPCs' || key == 'inputEPCList' || key == 'outputEPCList') {
    const list = v.asArray();
    if (list !== null) writeEpcList(w, list, digitalLinks);
    else writeJson(w, v);
  } else if (key == 'parentID') {
    writeIdentifier(w, v, digitalLinks);
  } else if (
    key == 'quantityList' ||
    key == 'childQuantityList' ||
    key == 'inputQuantityList' ||
    key == 'outputQuantityList'
  ) {
    writeListWithIdentifiers(w, v, 'epcClass', digitalLinks);
  } else if (key == 'readPoint' || key == 'bizLocation') {
    writeWithIdentifier(w, v, 'id', digitalLinks);
  } else if (key == 'sourceList') {
    writeListWithIdentifiers(w, v, 'source', digitalLinks);
  } else if (key == 'destinationList') {
    writeListWithIdentifiers(w, v, 'destination', digitalLinks);
  } else if (key == 'bizTransactionList') {
    writeListWithIdentifiers(w, v, 'bizTransaction', digitalLinks);
  } else {
    writeJson(w, v);
  }
}

/**
 * Writes `event` (parsed from its captured text) as answered: `eventId` is the ID it is stored
 * under, `digitalLinks` true for GS1-EPC-Format Always_GS1_Digital_Link.
 */
export function writeEventForOutput(
  w: Utf8Writer,
  event: JsonObject,
  eventId: string,
  recordTimeMs: i64,
  digitalLinks: bool,
): void {
  const recordTime = formatUtcMillis(recordTimeMs);
  w.byte(0x7b);
  writeContext(w, event.get('@context'));
  const keys = event.keys;
  const values = event.values;
  let hasEventId = false;
  let hasRecordTime = false;
  for (let i = 0, n = keys.length; i < n; i++) {
    const key = unchecked(keys[i]);
    if (key == '@context') continue;
    const value = unchecked(values[i]);
    w.byte(0x2c);
    writeMemberName(w, key);
    // Assignments to members the event already has keep their place, as in a JavaScript object.
    if (key == 'eventID' && !value.isString()) {
      w.jsonString(eventId);
      hasEventId = true;
    } else if (key == 'recordTime') {
      w.jsonString(recordTime);
      hasRecordTime = true;
    } else {
      if (key == 'eventID') hasEventId = true;
      writeMember(w, key, value, digitalLinks);
    }
  }
  if (!hasEventId) {
    w.byte(0x2c);
    writeMemberName(w, 'eventID');
    w.jsonString(eventId);
  }
  if (!hasRecordTime) {
    w.byte(0x2c);
    writeMemberName(w, 'recordTime');
    w.jsonString(recordTime);
  }
  w.byte(0x7d);
}
