// The identifier fields of an answered event, as host/http/distinct-identifiers.ts and
// host/http/epc-format.ts rewrite them: each EPC list keeps the first entry of every object (by its
// Digital Link), and for Always_GS1_Digital_Link every identifier a GS1 key can be read from is
// written as its canonical Digital Link (the core's canonicalIdentifier, as the Node service's
// toDigitalLink uses it); anything else is written as captured.
import { canonicalIdentifier, IdentifierStatus } from '../../identifiers/canonical';
import { JsonArray, JsonValue } from '../../json/value';
import { Utf8Writer } from '../../json/utf8-writer';
import { writeJson, writeMemberName } from './json-text';

/** The identifier as a Digital Link when it is a GS1 key, else unchanged (identifier-canon.ts toDigitalLink). */
export function toDigitalLink(id: string): string {
  const result = canonicalIdentifier(id);
  return result.status == IdentifierStatus.Canonical ? result.value : id;
}

/** A string identifier (parentID, a list entry), translated when asked; other values as they are. */
export function writeIdentifier(w: Utf8Writer, v: JsonValue, digitalLinks: bool): void {
  const id = v.asString();
  if (id !== null && digitalLinks) w.jsonString(toDigitalLink(id));
  else writeJson(w, v);
}

/** An EPC list (the schema's uniqueItems `epcList`): repeats of an object dropped, entries translated. */
export function writeEpcList(w: Utf8Writer, list: JsonArray, digitalLinks: bool): void {
  const seen = new Set<string>();
  const items = list.items;
  let written = 0;
  w.byte(0x5b);
  for (let i = 0, n = items.length; i < n; i++) {
    const item = unchecked(items[i]);
    const id = item.asString();
    if (id !== null) {
      const key = toDigitalLink(id);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    if (written++ > 0) w.byte(0x2c);
    writeIdentifier(w, item, digitalLinks);
  }
  w.byte(0x5d);
}

/** An object whose member `field` (when a string) is an identifier: readPoint, bizLocation, a list entry. */
export function writeWithIdentifier(w: Utf8Writer, v: JsonValue, field: string, digitalLinks: bool): void {
  const o = v.asObject();
  if (o === null || !digitalLinks) {
    writeJson(w, v);
    return;
  }
  w.byte(0x7b);
  const keys = o.keys;
  const values = o.values;
  for (let i = 0, n = keys.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    const key = unchecked(keys[i]);
    writeMemberName(w, key);
    if (key == field) writeIdentifier(w, unchecked(values[i]), true);
    else writeJson(w, unchecked(values[i]));
  }
  w.byte(0x7d);
}

/** A list of such objects: quantity lists (epcClass), sourceList, destinationList, bizTransactionList. */
export function writeListWithIdentifiers(
  w: Utf8Writer,
  v: JsonValue,
  field: string,
  digitalLinks: bool,
): void {
  const list = v.asArray();
  if (list === null || !digitalLinks) {
    writeJson(w, v);
    return;
  }
  const items = list.items;
  w.byte(0x5b);
  for (let i = 0, n = items.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    writeWithIdentifier(w, unchecked(items[i]), field, true);
  }
  w.byte(0x5d);
}
