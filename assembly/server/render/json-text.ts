// Writes a parsed JSON value (assembly/json/value.ts) back as JSON text, with the meaning
// JSON.stringify(JSON.parse(text)) gives it in the Node service: members in document order, strings
// re-escaped, numbers kept as written except where JavaScript's double changes them (an overflow
// such as 1e400 is Infinity there, which JSON.stringify writes as null; -0 is written 0).
import { JsonArray, JsonKind, JsonNumber, JsonObject, JsonString, JsonValue } from '../../json/value';
import { Utf8Writer } from '../../json/utf8-writer';

export function writeJsonNumber(w: Utf8Writer, n: JsonNumber): void {
  const value = n.value;
  if (!isFinite(value)) w.ascii('null');
  else if (value == 0) w.byte(0x30);
  else w.ascii(n.raw);
}

export function writeJsonArray(w: Utf8Writer, a: JsonArray): void {
  w.byte(0x5b);
  const items = a.items;
  for (let i = 0, n = items.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    writeJson(w, unchecked(items[i]));
  }
  w.byte(0x5d);
}

/** `"key":` */
export function writeMemberName(w: Utf8Writer, key: string): void {
  w.jsonString(key);
  w.byte(0x3a);
}

export function writeJsonObject(w: Utf8Writer, o: JsonObject): void {
  w.byte(0x7b);
  const keys = o.keys;
  const values = o.values;
  for (let i = 0, n = keys.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    writeMemberName(w, unchecked(keys[i]));
    writeJson(w, unchecked(values[i]));
  }
  w.byte(0x7d);
}

/**
 * Any value. Recursive: the depth is bounded by the ParseLimits.maxDepth the value was parsed
 * under (the capture limit, 64 levels), far inside the wasm stack.
 */
export function writeJson(w: Utf8Writer, v: JsonValue): void {
  switch (v.kind) {
    case JsonKind.Null:
      w.ascii('null');
      return;
    case JsonKind.False:
      w.ascii('false');
      return;
    case JsonKind.True:
      w.ascii('true');
      return;
    case JsonKind.Number:
      writeJsonNumber(w, changetype<JsonNumber>(v));
      return;
    case JsonKind.String:
      w.jsonString(changetype<JsonString>(v).value);
      return;
    case JsonKind.Array:
      writeJsonArray(w, changetype<JsonArray>(v));
      return;
  }
  writeJsonObject(w, changetype<JsonObject>(v));
}
