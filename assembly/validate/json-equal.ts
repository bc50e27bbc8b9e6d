// Deep equality of JSON values as ajv's `uniqueItems` decides it (fast-deep-equal): numbers by
// value, objects regardless of member order, arrays element by element. A structural hash lets
// long arrays be checked without comparing every pair.
import { JsonArray, JsonKind, JsonNumber, JsonObject, JsonString, JsonValue } from '../json/value';

// Parser limits keep nesting far below this; the guard only keeps hostile input from exhausting
// the stack if a tree ever arrives from elsewhere.
const MAX_NESTING = 512;

export function jsonEqual(a: JsonValue, b: JsonValue, depth: i32 = 0): bool {
  if (a.kind != b.kind) return false;
  if (depth > MAX_NESTING) return false;
  switch (a.kind) {
    case JsonKind.String:
      return changetype<JsonString>(a).value == changetype<JsonString>(b).value;
    case JsonKind.Number:
      return changetype<JsonNumber>(a).value == changetype<JsonNumber>(b).value;
    case JsonKind.Array: {
      const x = changetype<JsonArray>(a).items;
      const y = changetype<JsonArray>(b).items;
      if (x.length != y.length) return false;
      for (let i = 0, n = x.length; i < n; i++) {
        if (!jsonEqual(unchecked(x[i]), unchecked(y[i]), depth + 1)) return false;
      }
      return true;
    }
    case JsonKind.Object: {
      const x = changetype<JsonObject>(a);
      const y = changetype<JsonObject>(b);
      if (x.size != y.size) return false;
      for (let i = 0, n = x.size; i < n; i++) {
        const other = y.get(unchecked(x.keys[i]));
        if (other === null || !jsonEqual(unchecked(x.values[i]), other, depth + 1)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

function hashString(s: string, h: u32): u32 {
  for (let i = 0, n = s.length; i < n; i++) h = (h ^ (<u32>s.charCodeAt(i))) * 16777619;
  return h;
}

/** A hash that agrees with jsonEqual: equal values hash alike (member order ignored). */
export function jsonHash(v: JsonValue, depth: i32 = 0): u32 {
  let h: u32 = 2166136261 ^ (<u32>v.kind * 0x9e3779b1);
  if (depth > MAX_NESTING) return h;
  switch (v.kind) {
    case JsonKind.String:
      return hashString(changetype<JsonString>(v).value, h);
    case JsonKind.Number: {
      const x = changetype<JsonNumber>(v).value;
      const bits = reinterpret<u64>(x == 0 ? 0.0 : x);
      return (h ^ (<u32>bits) ^ (<u32>(bits >>> 32))) * 16777619;
    }
    case JsonKind.Array: {
      const items = changetype<JsonArray>(v).items;
      for (let i = 0, n = items.length; i < n; i++)
        h = (h ^ jsonHash(unchecked(items[i]), depth + 1)) * 16777619;
      return h;
    }
    case JsonKind.Object: {
      const o = changetype<JsonObject>(v);
      let sum: u32 = 0;
      for (let i = 0, n = o.size; i < n; i++) {
        sum +=
          hashString(unchecked(o.keys[i]), 2166136261) * 31 + jsonHash(unchecked(o.values[i]), depth + 1);
      }
      return h ^ sum;
    }
    default:
      return h;
  }
}
