// `@context` (schema `#/definitions/@context`): a context URI, an inline context object, or an
// array of distinct URIs and objects. The JSON-LD meaning of the contexts is not checked here.
import { JsonArray, JsonKind, JsonString, JsonValue } from '../json/value';
import { got } from './describe-value';
import { findDuplicate, repeatedAt } from './unique-items';
import { isUri } from './uri-format';
import { ValidationContext } from './validation-context';

const EXPECTED =
  ' must be a context URI such as "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", an object of prefix definitions, or an array of these';

function isContextEntry(v: JsonValue): bool {
  return v.kind == JsonKind.Object || (v.kind == JsonKind.String && isUri(changetype<JsonString>(v).value));
}

export function checkContext(ctx: ValidationContext, v: JsonValue): void {
  if (v.kind != JsonKind.Array) {
    if (!isContextEntry(v)) ctx.report('@context' + EXPECTED + got(v));
    return;
  }
  const items = changetype<JsonArray>(v).items;
  let ok = true;
  for (let i = 0, n = items.length; i < n && !ctx.full; i++) {
    const item = unchecked(items[i]);
    if (isContextEntry(item)) continue;
    ctx.reportItem(i, '@context entries must be context URIs or objects of prefix definitions' + got(item));
    ok = false;
  }
  if (!ok) return;
  const dup = findDuplicate(items);
  if (dup >= 0) ctx.report('@context must not list the same context twice' + repeatedAt(dup));
}
