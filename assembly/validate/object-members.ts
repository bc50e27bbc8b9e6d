// Member-level helpers for the schema's closed-but-extensible objects: a `propertyNames` of
// "one of these names, or a URI", and `required` members looked up and reported by pointer.
import { JsonArray, JsonObject, JsonValue } from '../json/value';
import { quote } from './describe-value';
import { isUri } from './uri-format';
import { expectArray } from './value-checks';
import { ValidationContext } from './validation-context';

/** Reports each member of `o` that is neither one of `names` nor named by a URI or CURIE. */
export function checkMemberNames(ctx: ValidationContext, o: JsonObject, names: string[], what: string): void {
  for (let i = 0, n = o.size; i < n && !ctx.full; i++) {
    const key = unchecked(o.keys[i]);
    if (names.includes(key) || isUri(key)) continue;
    const known = names.join(', ');
    ctx.reportMember(
      key,
      `${quote(key)} is not ${what} field (${known}, or an extension named by a URI or CURIE)`,
    );
  }
}

/** `o[key]`, after reporting at `key` that it is required when it is missing. */
export function requireMember(
  ctx: ValidationContext,
  o: JsonObject,
  key: string,
  what: string,
): JsonValue | null {
  const v = o.get(key);
  if (v === null) ctx.reportMember(key, `${key} is required: ${what}`);
  return v;
}

/** `o[key]` as an array, after reporting it when it is missing or not an array. */
export function requireArray(
  ctx: ValidationContext,
  o: JsonObject,
  key: string,
  what: string,
): JsonArray | null {
  const v = requireMember(ctx, o, key, what);
  if (v === null) return null;
  ctx.push(key);
  const array = expectArray(ctx, v, key);
  ctx.pop();
  return array;
}
