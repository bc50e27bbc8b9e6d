// Extensions, ILMD and anything else outside the CBV order, rendered the way the reference generator
// renders "remaining" nodes (hash_generator._generic_child_list_to_prehash_string): each member is
// `{namespace}local=value`, an object member is `{namespace}local` followed by its own members, an
// array gives one entry per element, and the entries of one object are sorted by code point
// (vector ReferenceEventHashAlgorithm: `{…}myField1{…}mySubField1=2{…}mySubField2=5`).
// The generator first reshapes the JSON tree to look like EPCIS XML
// (json_xml_model_mismatch_correction.deep_structure_correction), and that reshaping reaches
// extensions too; the rules that can fire there are reproduced in entryName and appendEntries.
import { JsonArray, JsonObject, JsonValue } from '../json/value';
import { JsonLdContext } from '../jsonld/context';
import { curieColon } from '../jsonld/json-ld-context';
import { canonicalScalar } from './prehash-values';
import { borrowStrings, giveBackStrings } from './prehash-pool';
import { concat4, joinSorted } from './prehash-text';

/** Members the generator never reads (json_to_py's to_be_ignored). */
export function isIgnoredMember(key: string): bool {
  const first = key.length > 0 ? key.charCodeAt(0) : 0;
  if (first != 114 && first != 99 && first != 35) return false;
  return key == 'rdfs:comment' || key == 'comment' || key == '#text';
}

/**
 * Keys that make the generator keep an object in member order: json_to_py sorts no object holding
 * them, and should_sort does not sort its entries.
 */
export function isPairKey(key: string): bool {
  const first = key.length > 0 ? key.charCodeAt(0) : 0;
  if (first != 98 && first != 115 && first != 100) return false;
  return key == 'bizTransaction' || key == 'source' || key == 'destination';
}

/** A key as the pre-hash prints it: `{namespace}local` when its prefix is known, else as written. */
export function hashKey(key: string, ctx: JsonLdContext): string {
  const namespace = ctx.namespaceOf(key);
  return namespace === null ? key : concat4('{', namespace, '}', key, curieColon(key) + 1);
}

/** XML element names the reshaping gives JSON members: inputEPC → epc, childQuantity → quantityElement, … */
function entryName(name: string, value: JsonValue): string {
  const first = name.length > 0 ? name.charCodeAt(0) : 0;
  if (first != 105 && first != 111 && first != 99 && first != 113) return name;
  if (name == 'inputEPC' || name == 'outputEPC') return 'epc';
  if (name == 'inputQuantity' || name == 'outputQuantity' || name == 'childQuantity')
    return 'quantityElement';
  if (name == 'quantity' && hasChildren(value)) return 'quantityElement';
  return name;
}

function hasChildren(value: JsonValue): bool {
  const object = value.asObject();
  if (object !== null) return object.size > 0;
  const array = value.asArray();
  return array !== null && array.length > 0;
}

/** One entry: `name=value` for a scalar (`name` alone when it is empty), `name` + entries otherwise. */
export function entry(name: string, value: JsonValue, ctx: JsonLdContext): string {
  const scalar = canonicalScalar(value, ctx);
  if (scalar !== null) return scalar.length > 0 ? concat4(name, '=', scalar, '') : name;
  const object = value.asObject();
  const body = object !== null ? objectBody(object, ctx) : arrayBody(changetype<JsonArray>(value), ctx);
  return body.length > 0 ? name + body : name;
}

/** The entries of an object's members, sorted unless the generator leaves that object unsorted. */
export function objectBody(object: JsonObject, ctx: JsonLdContext): string {
  const entries = borrowStrings();
  const moved = borrowStrings();
  let keepOrder = false;
  for (let i = 0, n = object.size; i < n; i++) {
    const key = unchecked(object.keys[i]);
    if (isIgnoredMember(key)) continue;
    if (isPairKey(key)) keepOrder = true;
    appendEntries(entries, moved, hashKey(key, ctx), unchecked(object.values[i]), ctx);
  }
  const body = finishEntries(entries, moved, keepOrder);
  giveBackStrings(moved);
  giveBackStrings(entries);
  return body;
}

/** An array nested in an array: its elements become unnamed entries. */
function arrayBody(array: JsonArray, ctx: JsonLdContext): string {
  const entries = borrowStrings();
  for (let i = 0, n = array.length; i < n; i++)
    appendEntries(entries, entries, '', unchecked(array.items[i]), ctx);
  const body = joinSorted(entries);
  giveBackStrings(entries);
  return body;
}

/** Sorted entries; in member order the reshaping moves grouped lists after the other members. */
export function finishEntries(entries: Array<string>, moved: Array<string>, keepOrder: bool): string {
  if (keepOrder) return entries.join('') + moved.join('');
  for (let i = 0, n = moved.length; i < n; i++) entries.push(unchecked(moved[i]));
  return joinSorted(entries);
}

/**
 * Appends the entries of one member whose printed name is `name`. An array member yields one
 * entry per element. A name ending in "List" is grouped into one entry whose children drop the
 * suffix (`{ns}itemList{ns}item=a{ns}item=b`; an object's members are its children as they are),
 * and `childEPCs` into `childEPCs` + `epc=…` entries, as the reshaping does for the EPCIS lists;
 * both go to `moved`.
 */
export function appendEntries(
  entries: Array<string>,
  moved: Array<string>,
  name: string,
  value: JsonValue,
  ctx: JsonLdContext,
): void {
  const array = value.asArray();
  if (name.endsWith('List')) {
    if (array !== null && array.length == 0) return;
    // An object is the list element itself and its members are the items, as in the XML it renders
    // (`<ext:wasteList><ext:wasteElement>…`): an item level named after the list would be one the
    // XML never had. The reference generator's JSON path adds that level, its XML path does not,
    // and the XML vector (conformance/xml/hash-vectors/epcisDocWithTransformationEventWithMultiple-
    // Extensions, the authority for every rendering of its event) has none.
    if (value.asObject() !== null) {
      moved.push(entry(name, value, ctx));
      return;
    }
    const children = borrowStrings();
    appendEntries(children, children, name.substring(0, name.length - 4), value, ctx);
    moved.push(name + joinSorted(children));
    giveBackStrings(children);
    return;
  }
  if (name == 'childEPCs') {
    const epcs = borrowStrings();
    const count = array === null ? 1 : array.length;
    for (let i = 0; i < count; i++) {
      const scalar = canonicalScalar(array === null ? value : unchecked(array.items[i]), ctx);
      epcs.push(scalar !== null && scalar.length > 0 ? 'epc=' + scalar : 'epc');
    }
    moved.push('childEPCs' + joinSorted(epcs));
    giveBackStrings(epcs);
    return;
  }
  if (array === null) {
    entries.push(entry(entryName(name, value), value, ctx));
    return;
  }
  for (let i = 0, n = array.length; i < n; i++) {
    const item = unchecked(array.items[i]);
    entries.push(entry(entryName(name, item), item, ctx));
  }
}
