// What the reference generator leaves of a standard field after the standard part has consumed it:
// members the CBV order does not list and that are not field extensions (see
// prehash-field-extensions.ts), or containers where a scalar belongs. It prints such a field among
// the event-level extensions, as a generic node holding only what is left: a sensorReport's
// bizRules becomes `sensorElementListsensorElementsensorReportbizRules=…` (_gather_elements_not_in_order
// over the nodes _recurse_through_children_in_order did not remove).
import { JsonObject, JsonValue } from '../json/value';
import { JsonLdContext } from '../jsonld/context';
import { FieldKind, FieldSpec, KeyIndex } from './prehash-fields';
import { appendEntries, entry, finishEntries, hashKey, isIgnoredMember, isPairKey } from './prehash-generic';
import { borrowStrings, giveBackStrings } from './prehash-pool';
import { joinSorted } from './prehash-text';

/** The leftover of one occurrence of `spec`, printed as a generic node; "" when nothing is left. */
export function leftoverOf(spec: FieldSpec, value: JsonValue, ctx: JsonLdContext): string {
  if (spec.pairs) return '';
  if (spec.kind == FieldKind.List) return listLeftover(spec, value, ctx);
  const object = value.asObject();
  if (object !== null && spec.children !== null) {
    const members = leftoverMembers(object, spec, ctx);
    return members.length > 0 ? spec.key + members : '';
  }
  // A scalar is consumed by the standard part; a container under a scalar field stays whole.
  if (!value.isObject() && !value.isArray()) return '';
  return entry(spec.key, value, ctx);
}

function listLeftover(spec: FieldSpec, value: JsonValue, ctx: JsonLdContext): string {
  const item = changetype<FieldSpec>(spec.item);
  const items = borrowStrings();
  const array = value.asArray();
  const count = array === null ? 1 : array.length;
  for (let i = 0; i < count; i++) {
    const text = leftoverOf(item, array === null ? value : unchecked(array.items[i]), ctx);
    if (text.length > 0) items.push(text);
  }
  const result = items.length > 0 ? spec.key + joinSorted(items) : '';
  giveBackStrings(items);
  return result;
}

/** The generic entries of everything left in a standard object, or "" when nothing is. */
function leftoverMembers(object: JsonObject, parent: FieldSpec, ctx: JsonLdContext): string {
  const specs = changetype<Array<FieldSpec>>(parent.children);
  const index = changetype<KeyIndex>(parent.childIndex);
  const entries = borrowStrings();
  const moved = borrowStrings();
  let keepOrder = false;
  for (let i = 0, n = object.size; i < n; i++) {
    const key = unchecked(object.keys[i]);
    if (isIgnoredMember(key)) continue;
    if (isPairKey(key)) keepOrder = true;
    const value = unchecked(object.values[i]);
    const at = index.find(key);
    if (at >= 0) appendLeftovers(entries, unchecked(specs[at]), value, ctx);
    else appendEntries(entries, moved, hashKey(key, ctx), value, ctx);
  }
  const result = entries.length == 0 && moved.length == 0 ? '' : finishEntries(entries, moved, keepOrder);
  giveBackStrings(moved);
  giveBackStrings(entries);
  return result;
}

/** Appends the leftovers of every occurrence of a standard field (one per element of an array). */
export function appendLeftovers(
  out: Array<string>,
  spec: FieldSpec,
  value: JsonValue,
  ctx: JsonLdContext,
): void {
  const array = value.asArray();
  if (spec.kind == FieldKind.List || array === null) {
    const text = leftoverOf(spec, value, ctx);
    if (text.length > 0) out.push(text);
    return;
  }
  for (let i = 0, n = array.length; i < n; i++) {
    const text = leftoverOf(spec, unchecked(array.items[i]), ctx);
    if (text.length > 0) out.push(text);
  }
}
