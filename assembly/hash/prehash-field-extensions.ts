// Extensions that sit inside standard fields. CBV 2.0 moves them out of their field into a block
// after the ILMD, each prefixed by the path of standard names that leads to it
// (`readPoint{ns}f=v`, `sensorElementsensorMetadata{ns}f=v…sensorReport{ns}g=w…{ns}h=x`;
// vectors ReferenceEventHashAlgorithm3 and AggregationEvent_all_possible_fields).
// This is the reference generator's _field_extensions, including what it counts as an extension:
// a member whose printed key contains `{` and `/}`, i.e. a CURIE whose namespace ends in a slash.
// Other members the CBV order does not know (an unprefixed key, a `urn:…` or `…#` namespace, a
// sensorReport's bizRules) are left over instead; prehash-leftovers.ts renders them.
import { JsonObject, JsonValue } from '../json/value';
import { JsonLdContext } from '../jsonld/context';
import { FieldKind, FieldSpec, KeyIndex } from './prehash-fields';
import { appendEntries, hashKey, isIgnoredMember } from './prehash-generic';
import { borrowStrings, giveBackStrings } from './prehash-pool';
import { joinSorted } from './prehash-text';
import { joinInTreeOrder } from './prehash-tree-order';

/** True when the generator treats a member with this printed key as a field extension. */
function isFieldExtensionKey(printed: string): bool {
  return printed.indexOf('{') >= 0 && printed.indexOf('/}') >= 0;
}

/** The extension block of one standard object: nested standard fields first, then its own. */
export function objectExtensions(object: JsonObject, spec: FieldSpec, ctx: JsonLdContext): string {
  const children = changetype<Array<FieldSpec>>(spec.children);
  const index = changetype<KeyIndex>(spec.childIndex);
  const parts = borrowStrings();
  // One pass in CBV order over the standard children, then this object's own extension members.
  for (let i = 0, n = children.length; i < n; i++) {
    const child = unchecked(children[i]);
    if (child.kind == FieldKind.Scalar) continue;
    const value = object.get(child.key);
    if (value === null) continue;
    const text = fieldExtensions(child, value, ctx);
    if (text.length > 0) parts.push(text);
  }
  const entries = borrowStrings();
  for (let i = 0, n = object.size; i < n; i++) {
    const key = unchecked(object.keys[i]);
    if (isIgnoredMember(key) || index.find(key) >= 0) continue;
    const printed = hashKey(key, ctx);
    if (isFieldExtensionKey(printed))
      appendEntries(entries, entries, printed, unchecked(object.values[i]), ctx);
  }
  if (entries.length > 0) parts.push(joinSorted(entries));
  giveBackStrings(entries);
  const result = parts.join('');
  giveBackStrings(parts);
  return result;
}

/**
 * The extension parts found under one standard field's value, prefixed by the field's printed
 * name; "" when there are none. Scalar fields and the pair lists never carry any.
 */
export function fieldExtensions(spec: FieldSpec, value: JsonValue, ctx: JsonLdContext): string {
  if (spec.kind == FieldKind.Scalar || spec.pairs) return '';
  if (spec.kind == FieldKind.List) {
    const inner = occurrenceParts(changetype<FieldSpec>(spec.item), value, ctx);
    return inner.length > 0 ? spec.display + inner : '';
  }
  return occurrenceParts(spec, value, ctx);
}

/** Extension parts of every object occurrence of `spec` in `value`, in the generator's tree order. */
export function occurrenceParts(spec: FieldSpec, value: JsonValue, ctx: JsonLdContext): string {
  if (spec.children === null) return '';
  const single = value.asObject();
  if (single !== null) {
    const inner = objectExtensions(single, spec, ctx);
    return inner.length > 0 ? spec.display + inner : '';
  }
  const array = value.asArray();
  if (array === null) return '';
  const sources = new Array<JsonValue>();
  const parts = new Array<string>();
  for (let i = 0, n = array.length; i < n; i++) {
    const item = unchecked(array.items[i]);
    const object = item.asObject();
    if (object === null) continue;
    const inner = objectExtensions(object, spec, ctx);
    if (inner.length == 0) continue;
    sources.push(item);
    parts.push(spec.display + inner);
  }
  return parts.length > 1 ? joinInTreeOrder(sources, parts, ctx) : parts.join('');
}
