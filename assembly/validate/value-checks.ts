// The schema's leaf types (`uri`, `time`, string, number, boolean, object, array), each checked
// against the value at the context's current position and reported there in one sentence.
// Every check returns whether the value passed so callers can skip rules that depend on it.
import { JsonArray, JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { got } from './describe-value';
import { parseDateTime } from '../time/date-time';
import { isUri } from './uri-format';
import { ValidationContext } from './validation-context';

/** `{"type": "string", "format": "uri"}` (the schema's `uri`, `id`, `eventID`, `vocab-uri`). */
export function checkUri(ctx: ValidationContext, v: JsonValue, label: string): bool {
  if (v.kind == JsonKind.String && isUri(changetype<JsonString>(v).value)) return true;
  const examples =
    'urn:epc:id:sgtin:0614141.107346.2017, https://id.gs1.org/01/09520123456788 or a CURIE like ex:x';
  ctx.report(`${label} must be an absolute URI such as ${examples}` + got(v));
  return false;
}

/** `{"type": "string", "format": "date-time"}`. */
export function checkDateTime(ctx: ValidationContext, v: JsonValue, label: string): bool {
  if (v.kind == JsonKind.String && parseDateTime(changetype<JsonString>(v).value) !== null) return true;
  ctx.report(
    `${label} must be an RFC 3339 date-time with a zone, such as 2024-05-01T10:00:00.000+02:00` + got(v),
  );
  return false;
}

export function checkString(ctx: ValidationContext, v: JsonValue, label: string): bool {
  if (v.kind == JsonKind.String) return true;
  ctx.report(label + ' must be a string' + got(v));
  return false;
}

export function checkNumber(ctx: ValidationContext, v: JsonValue, label: string): bool {
  if (v.kind == JsonKind.Number) return true;
  ctx.report(label + ' must be a number' + got(v));
  return false;
}

export function checkBoolean(ctx: ValidationContext, v: JsonValue, label: string): bool {
  if (v.kind == JsonKind.True || v.kind == JsonKind.False) return true;
  ctx.report(label + ' must be true or false' + got(v));
  return false;
}

/** The object, or null after reporting that it is not one. */
export function expectObject(ctx: ValidationContext, v: JsonValue, label: string): JsonObject | null {
  if (v.kind == JsonKind.Object) return changetype<JsonObject>(v);
  ctx.report(label + ' must be a JSON object' + got(v));
  return null;
}

/** The array, or null after reporting that it is not one. */
export function expectArray(ctx: ValidationContext, v: JsonValue, label: string): JsonArray | null {
  if (v.kind == JsonKind.Array) return changetype<JsonArray>(v);
  ctx.report(label + ' must be an array' + got(v));
  return null;
}

/** An array of URIs (`epcList`, `childEPCs`, `correctiveEventIDs`, …); false when any entry fails. */
export function checkUriArray(ctx: ValidationContext, v: JsonValue, label: string): bool {
  const array = expectArray(ctx, v, label);
  if (array === null) return false;
  const items = array.items;
  let ok = true;
  for (let i = 0, n = items.length; i < n && !ctx.full; i++) {
    const item = unchecked(items[i]);
    if (item.kind == JsonKind.String && isUri(changetype<JsonString>(item).value)) continue;
    ctx.pushIndex(i);
    checkUri(ctx, item, label + ' entries');
    ctx.pop();
    ok = false;
  }
  return ok;
}
